import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  axeViolations,
  type ConsoleEnv,
  hasChromium,
  launchChromium,
  signedInPage,
  startConsole,
} from "./support.js";

let env: ConsoleEnv;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  env = await startConsole();
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await env?.close();
});

describe.skipIf(!hasChromium)("console: sign-in and posture", () => {
  it("a one-time link signs in and lands on the posture page with the trend chart", async () => {
    const { page, errors, context } = await signedInPage(browser, env, "owner");
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
});
