import { describe, expect, it } from "vitest";
import { axeViolations, hasChromium, reach, signedInPage, useConsole } from "./support.js";

const c = useConsole();

describe.skipIf(!hasChromium)("console: summaries", { timeout: 120_000 }, () => {
  it("an editor creates a notification rule, previews it three ways, sends it now and sees the delivery", async () => {
    const { page, errors, context } = await signedInPage(c.browser, c.env, "editor");
    await page.getByRole("link", { name: "Summaries", exact: true }).click();
    await reach(page, /\/app\/summaries$/);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("Name", { exact: true }).fill("Morning digest");
    await page.getByLabel("Schedule (cron)").fill("0 8 * * MON-FRI");
    await page.getByLabel("Time zone").fill("Europe/Berlin");
    await page.getByLabel("Channel", { exact: true }).selectOption("email");
    await page.getByLabel("E-mail recipients").fill("secops@example.com");
    await page.getByLabel("Lowest severity").selectOption("high");
    await page.getByRole("button", { name: "Create summary" }).click();
    await reach(page, /\/app\/summaries\/nrl_/);
    await expect(page.getByRole("status").textContent()).resolves.toContain("Created");
    // the three renderings
    expect(await page.locator(".email-subject").textContent()).toMatch(/\S/);
    expect(await page.locator(".slack-text").textContent()).toMatch(/\S/);
    const frame = page.frameLocator("iframe.preview");
    await expect(frame.locator("body").textContent()).resolves.toMatch(/\S/);
    await page.getByText("Signed JSON document").click();
    expect(await page.locator("#webhook-json").textContent()).toContain('"type": "bulwark.summary"');
    expect(await axeViolations(page)).toEqual([]);
    // send now: a delivery appears in the history
    // from a freshly loaded page (the axe run and the opened disclosures above are done with)
    await page.goto(page.url());
    await page.waitForLoadState("load");
    await page.getByRole("button", { name: "Send now" }).click();
    await reach(page, /notice=Sending/);
    expect(await page.locator("table.deliveries tbody tr").first().textContent()).toContain("manual");
    // the list shows it
    await page.goto(`${c.env.url}/app/summaries`);
    expect(await page.getByRole("link", { name: "Morning digest" }).count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a viewer sees the rules but no form, and is refused 403 when posting one", async () => {
    const { page, errors, context } = await signedInPage(c.browser, c.env, "viewer");
    await page.goto(`${c.env.url}/app/summaries`);
    expect(await page.getByRole("button", { name: "Create summary" }).count()).toBe(0);
    const csrf = (await context.cookies()).find((k) => k.name === "__Host-bulwark_csrf")?.value ?? "";
    const forced = await context.request.post(`${c.env.url}/app/summaries`, {
      form: {
        _csrf: csrf,
        name: "x",
        cron: "0 8 * * *",
        timezone: "UTC",
        channelType: "email",
        to: "a@b.co",
      },
      headers: { origin: c.env.url },
    });
    expect(forced.status()).toBe(403);
    expect(errors).toEqual([]);
    await context.close();
  });
});
