import { describe, expect, it } from "vitest";
import {
  apiToken,
  axeViolations,
  hasChromium,
  PASSWORD,
  passwordMember,
  reach,
  signedInPage,
  useConsole,
  watchErrors,
} from "./support.js";

const c = useConsole();

describe.skipIf(!hasChromium)("console: sign-in and posture", { timeout: 120_000 }, () => {
  it("a one-time link signs in and lands on the posture page with the trend chart", async () => {
    const { page, errors, context } = await signedInPage(c.browser, c.env, "owner");
    await expect(page.getByRole("heading", { level: 1, name: "Posture" }).isVisible()).resolves.toBe(true);
    const score = await page.locator(".score.big").textContent();
    expect(Number(score)).toBeGreaterThanOrEqual(0);
    await page.waitForSelector("#trend-chart[data-drawn=true] canvas");
    const points = await page.locator("details table tbody tr").count();
    expect(points).toBe(90);
    expect(await page.getByRole("row", { name: /PROT-MTLS/ }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("is usable on a phone: no sideways scrolling of the page, the navigation wraps", async () => {
    const { page, errors, context } = await signedInPage(c.browser, c.env, "viewer");
    for (const path of ["/app", "/app/findings", "/app/mesh"]) {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${c.env.url}${path}`);
      const overflow = await page.evaluate<number>(
        "document.documentElement.scrollWidth - window.innerWidth",
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("keyboard: the skip link comes first and moves focus to the content", async () => {
    const { page, context } = await signedInPage(c.browser, c.env, "viewer");
    await page.keyboard.press("Tab");
    expect(await page.evaluate<string>("document.activeElement?.textContent")).toBe("Skip to content");
    await page.keyboard.press("Enter");
    // a same-page fragment navigation: wait for it rather than read the URL in the same tick (loaded CI)
    await page.waitForFunction("location.hash === '#main'", undefined, { timeout: 10_000 }).catch(() => {});
    expect(new URL(page.url()).hash).toBe("#main");
    await context.close();
  });

  it("takes the README's screenshot of the posture page (docs/console-posture.png with UPDATE_SCREENSHOTS=1)", async () => {
    const { page, errors, context } = await signedInPage(c.browser, c.env, "owner");
    await page.waitForSelector("#trend-chart[data-drawn=true] canvas");
    const png = await page.screenshot({
      fullPage: false,
      ...(process.env.UPDATE_SCREENSHOTS === "1" ? { path: "docs/console-posture.png" } : {}),
    });
    expect(png.length).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("/docs: rendered on the server (no blank first paint) and a request can be tried with a token", async () => {
    const context = await c.browser.newContext();
    const page = await context.newPage();
    const errors = watchErrors(page);
    const html = await (await context.request.get(`${c.env.url}/docs`)).text();
    expect(html).not.toContain("Loading");
    expect(html).toContain("<h2");
    await page.goto(`${c.env.url}/docs`);
    const token = await apiToken(c.env, ["read"]);
    await page.locator("#token").fill(token);
    const form = page.locator('form.try[data-method="GET"][data-path="/v1/posture"]');
    await form.locator("xpath=ancestor::details[1]").locator("summary").first().click();
    await form.getByRole("button").click();
    await expect
      .poll(async () => form.locator(".result").textContent(), { timeout: 10_000 })
      .toContain('"score"');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("password sign-in: an unknown session goes to the sign-in page and back; a wrong password is said so", async () => {
    const member = await passwordMember(c.env, "viewer");
    const context = await c.browser.newContext();
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${c.env.url}/app/findings?severity=critical`);
    await reach(page, /\/app\/login\?returnTo=/);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("E-mail").fill(member.email);
    await page.getByLabel("Password").fill("not the password at all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain("wrong e-mail or password");
    await page.getByLabel("E-mail").fill(member.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await reach(page, /\/app\/findings\?severity=critical$/);
    await page.getByRole("button", { name: "Sign out" }).click();
    await reach(page, /\/app\/login$/);
    // the 400 of the wrong password is the page's own answer, not a script error
    expect(errors).toEqual([]);
    await context.close();
  });
});
