import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../apps/api/test/support/client.js";
import { draft } from "../support/factories.js";
import { Scenario, type ScenarioTenant } from "../support/scenario.js";

const DAY = 86_400_000;
let s: Scenario;
let t: ScenarioTenant;
const ago = (days: number) => new Date(Date.now() - days * DAY);
const crit = draft({ ruleId: "CVE-CRIT", severity: "critical" });
const high = draft({ ruleId: "CVE-HIGH", severity: "high" });
const med = draft({ ruleId: "CVE-MED", severity: "medium" });
const info = draft({ ruleId: "INFO-1", severity: "info" });

interface Report {
  policy: { days: Record<string, number>; custom: boolean };
  breaches: Record<string, number>;
  dueWithin7Days: Record<string, number>;
  timeToResolve: Record<
    string,
    { resolved: number; meanDays: number | null; medianDays: number | null; withinSla: number | null }
  >;
  items: { ruleId: string; dueAt: string; overdueDays: number }[];
  nextCursor: string | null;
}

beforeAll(async () => {
  s = await Scenario.create();
  t = await s.tenant("sla");
  await s.apply(t, "sla-prod", [crit, high, med, info], { at: ago(40) });
  await s.apply(t, "sla-prod", [crit, med, info], { at: ago(30) }); // high resolved after 10 days
  await s.apply(t, "sla-prod", [crit, med, info, high], { at: ago(26) }); // high reopened: a new episode
});
afterAll(async () => {
  await s?.close();
});

describe("SLA", () => {
  it("starts from the documented defaults", async () => {
    const res = await s.get<Report["policy"]>(t, "/v1/sla/policy");
    expect(res.body).toMatchObject({ days: { critical: 15, high: 30, medium: 90, low: 180 }, custom: false });
  });

  it("lists open findings past their SLA, timed from the current open episode", async () => {
    const res = await s.get<Report>(t, "/v1/sla");
    expect(res.status).toBe(200);
    // critical open 40 days (due after 15); high reopened 26 days ago (due after 30): not yet
    expect(res.body.breaches).toEqual({ critical: 1, high: 0, medium: 0, low: 0 });
    expect(res.body.dueWithin7Days).toEqual({ critical: 0, high: 1, medium: 0, low: 0 });
    expect(res.body.items.map((i) => i.ruleId)).toEqual(["CVE-CRIT"]);
    expect(res.body.items[0]?.overdueDays).toBe(25);
    expect(res.body.timeToResolve.high).toMatchObject({
      resolved: 1,
      meanDays: 10,
      medianDays: 10,
      withinSla: 1,
    });
    expect(res.body.timeToResolve.critical).toMatchObject({ resolved: 0, meanDays: null });
  });

  it("applies a new policy at once; a suppressed finding is not a breach", async () => {
    const put = await s.send<Report["policy"]>(t, "PUT", "/v1/sla/policy", {
      days: { critical: 7, high: 5, medium: 20, low: 60 },
    });
    expect(put.status).toBe(200);
    expect(put.body.custom).toBe(true);
    const res = await s.get<Report>(t, "/v1/sla");
    expect(res.body.breaches).toEqual({ critical: 1, high: 1, medium: 1, low: 0 });
    expect(res.body.timeToResolve.high?.withinSla).toBe(0);
    await s.send(t, "POST", "/v1/suppressions", {
      selector: { ruleId: "CVE-CRIT" },
      reason: "compensating control",
      expiresAt: new Date(Date.now() + DAY).toISOString(),
    });
    const after = await s.get<Report>(t, "/v1/sla?limit=1");
    expect(after.body.breaches.critical).toBe(0);
    expect(after.body.items).toHaveLength(1);
    const next = await s.get<Report>(t, `/v1/sla?limit=1&cursor=${after.body.nextCursor}`);
    expect([...after.body.items, ...next.body.items].map((i) => i.ruleId).sort()).toEqual([
      "CVE-HIGH",
      "CVE-MED",
    ]);
    expect(next.body.nextCursor).toBeNull();
  });

  it.each([
    [{ days: { critical: 7, high: 5, medium: 20 } }, "body.days.low"],
    [{ days: { critical: 0, high: 5, medium: 20, low: 60 } }, "body.days.critical"],
    [{ days: { critical: 7, high: 5, medium: 20, low: 60, info: 1 } }, "body.days.info"],
  ])("refuses a bad policy %j", async (body, location) => {
    const res = await s.send<{ errors: { location: string }[] }>(t, "PUT", "/v1/sla/policy", body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.location)).toContain(location);
  });

  it("needs the write scope to change the policy", async () => {
    const tok = await s.send<{ token: string }>(t, "POST", "/v1/tokens", {
      name: "reader",
      scopes: ["read"],
    });
    const res = await call(s.h.app, "PUT", "/v1/sla/policy", {
      token: tok.body.token,
      body: { days: { critical: 1, high: 1, medium: 1, low: 1 } },
    });
    expect(res.status).toBe(403);
    expect((await call(s.h.app, "GET", "/v1/sla", { token: tok.body.token })).status).toBe(200);
  });

  it.each(["window=0", "window=9999", "cursor=xyz", "cluster=nowhere&x=1"])(
    "answers 400 for %s",
    async (q) => {
      expect((await s.get(t, `/v1/sla?${q}`)).status).toBe(400);
    },
  );
});
