import { describe, expect, it } from "vitest";
import { axeViolations, hasChromium, reach, signedInPage, useConsole } from "./support.js";

const c = useConsole();

describe.skipIf(!hasChromium)("console: findings", { timeout: 120_000 }, () => {
  it("filters, sorts and pages through shareable URLs; groups; detail; exports", async () => {
    const { page, errors, context } = await signedInPage(c.browser, c.env, "editor");
    await page.getByRole("link", { name: "Findings", exact: true }).click();
    await reach(page, /\/app\/findings$/);
    expect(await axeViolations(page)).toEqual([]);
    // filter: critical and high in prod-eu-1, 25 per page
    await page.getByLabel("critical").check();
    await page.getByLabel("high").check();
    await page.getByLabel("Cluster", { exact: true }).selectOption("prod-eu-1");
    await page.getByLabel("Per page").selectOption("25");
    await page.getByRole("button", { name: "Apply" }).click();
    await reach(page, /severity=critical%2Chigh|severity=critical&severity=high/);
    const url = new URL(page.url());
    expect(url.searchParams.get("cluster")).toBe("prod-eu-1");
    const severities = await page.locator("table.findings tbody td[data-label=Severity]").allTextContents();
    expect(severities.length).toBeGreaterThan(0);
    expect(new Set(severities.map((s) => s.trim()))).toEqual(new Set(["critical", "high"]));
    const clusters = await page.locator("table.findings tbody td[data-label=Cluster]").allTextContents();
    expect(new Set(clusters)).toEqual(new Set(["prod-eu-1"]));
    // sort by rule id through the column header: ascending, then paging keeps the filters and the order
    await page.getByRole("link", { name: "Rule", exact: true }).click();
    await reach(page, /sort=ruleId/);
    const first = await page.locator("table.findings tbody td[data-label=Rule]").allTextContents();
    expect(first).toEqual([...first].sort());
    const next = page.getByRole("link", { name: "Next page" });
    expect(await next.count()).toBe(1);
    await next.click();
    await reach(page, /cursor=/);
    const second = await page.locator("table.findings tbody td[data-label=Rule]").allTextContents();
    expect(second.length).toBeGreaterThan(0);
    expect((second[0] ?? "") >= (first.at(-1) ?? "")).toBe(true);
    expect(new URL(page.url()).searchParams.get("cluster")).toBe("prod-eu-1");
    // the URL is shareable: opening it again shows the same page
    const shared = page.url();
    await page.goto(shared);
    expect(await page.locator("table.findings tbody td[data-label=Rule]").allTextContents()).toEqual(second);
    // exports carry the same filters
    const csv = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
    expect(csv).toContain("cluster=prod-eu-1");
    const res = await context.request.get(`${c.env.url}${csv}`);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toContain("text/csv");
    // grouped view: one CVE across workloads
    await page.goto(`${c.env.url}/app/findings/groups`);
    expect(await page.getByRole("link", { name: "CVE-2026-1000" }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    // detail page
    await page.goto(`${c.env.url}/app/findings?ruleId=CVE-2026-1000`);
    await page.locator("table.findings tbody a").first().click();
    await reach(page, /\/app\/findings\/fnd_/);
    await expect(page.getByRole("heading", { name: "History" }).isVisible()).resolves.toBe(true);
    await page.getByText("Raw details").click();
    await expect(page.getByText('"pkg": "openssl"').isVisible()).resolves.toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("an editor suppresses a finding with a reason and an expiry; it leaves the open list", async () => {
    const { page, errors, context } = await signedInPage(c.browser, c.env, "editor");
    await page.goto(`${c.env.url}/app/findings?q=Container+check+number+13`);
    const link = page.getByRole("link", { name: "Container check number 13", exact: true });
    expect(await link.count()).toBe(1);
    await link.click();
    await reach(page, /\/app\/findings\/fnd_/);
    await page.getByLabel("Reason").fill("accepted risk: internal-only service");
    await page
      .getByLabel("Expires on")
      .fill(new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10));
    await page.getByRole("button", { name: "Suppress" }).click();
    await reach(page, /\/app\/findings\?notice=/);
    await expect(page.getByRole("status").textContent()).resolves.toContain("Suppressed");
    await page.goto(`${c.env.url}/app/findings?q=Container+check+number+13`);
    expect(await page.getByRole("link", { name: "Container check number 13", exact: true }).count()).toBe(0);
    await page.goto(`${c.env.url}/app/findings?q=Container+check+number+13&status=suppressed`);
    expect(await page.getByRole("link", { name: "Container check number 13", exact: true }).count()).toBe(1);
    // the suppressions page lists it with its reason; lifting it brings the finding back to the open list
    await page.getByRole("link", { name: "Findings", exact: true }).click();
    await page.getByRole("link", { name: "Suppressions" }).click();
    await reach(page, /\/app\/suppressions$/);
    const row = page.locator("tbody tr", { hasText: "accepted risk: internal-only service" });
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain("one finding");
    expect(await axeViolations(page)).toEqual([]);
    await row.getByRole("button", { name: /^Lift the suppression/ }).click();
    await reach(page, /\/app\/suppressions\?notice=/);
    await expect(page.getByRole("status").textContent()).resolves.toContain("Suppression lifted");
    expect(await page.locator("tbody tr", { hasText: "accepted risk: internal-only service" }).count()).toBe(
      0,
    );
    await page.goto(`${c.env.url}/app/suppressions?expired=1`);
    expect(await page.locator("tbody tr", { hasText: "accepted risk: internal-only service" }).count()).toBe(
      0,
    );
    await page.goto(`${c.env.url}/app/findings?q=Container+check+number+13`);
    expect(await page.getByRole("link", { name: "Container check number 13", exact: true }).count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a viewer sees no write controls and is refused 403 when forcing one", async () => {
    const { page, errors, context } = await signedInPage(c.browser, c.env, "viewer");
    await page.goto(`${c.env.url}/app/findings`);
    expect(await page.getByText("Suppress by selector").count()).toBe(0);
    await page.locator("table.findings tbody a").first().click();
    await reach(page, /\/app\/findings\/fnd_/);
    expect(await page.getByRole("button", { name: "Suppress" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Settings" }).count()).toBe(0);
    const id = page.url().split("/").at(-1) ?? "";
    const csrf = (await context.cookies()).find((k) => k.name === "__Host-bulwark_csrf")?.value ?? "";
    const forced = await context.request.post(`${c.env.url}/app/findings/${id}/suppress`, {
      form: { _csrf: csrf, reason: "x", expiresOn: "2099-01-01", scope: "finding" },
      headers: { origin: c.env.url },
    });
    expect(forced.status()).toBe(403);
    await page.goto(`${c.env.url}/app/suppressions`);
    expect(await page.getByRole("columnheader", { name: "Lift" }).count()).toBe(0);
    const lift = await context.request.post(`${c.env.url}/app/suppressions/sup_0123456789abcdefghjk/delete`, {
      form: { _csrf: csrf },
      headers: { origin: c.env.url },
    });
    expect(lift.status()).toBe(403);
    const settings = await context.request.get(`${c.env.url}/app/settings`);
    expect([403, 404]).toContain(settings.status());
    expect(errors).toEqual([]);
    await context.close();
  });
});
