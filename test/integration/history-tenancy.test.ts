import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { draft } from "../support/factories.js";
import { Scenario, type ScenarioTenant } from "../support/scenario.js";

/**
 * Every history, summary and export route, asked by tenant B with tenant A's cluster ids, names and cursors:
 * B sees only its own data (a shared cluster name resolves to B's cluster), and nothing of A appears.
 */
let s: Scenario;
let a: ScenarioTenant;
let b: ScenarioTenant;
const aIds: string[] = [];

const ROUTES = [
  "/v1/changes?since=2020-01-01T00:00:00Z&limit=1",
  "/v1/findings?limit=1&sort=ruleId",
  "/v1/findings/groups?limit=1",
  "/v1/sla?limit=1",
];

beforeAll(async () => {
  s = await Scenario.create();
  a = await s.tenant("alpha", ["shared", "alpha-only"]);
  b = await s.tenant("beta", ["shared"]);
  const old = new Date(Date.now() - 40 * 86_400_000);
  for (const c of ["shared", "alpha-only"]) {
    await s.apply(a, c, [draft({ ruleId: "A-1", severity: "critical" }), draft({ ruleId: "A-2" })], {
      at: old,
    });
  }
  await s.apply(b, "shared", [draft({ ruleId: "B-1", severity: "critical" })], { at: old });
  await s.send(a, "PUT", "/v1/sla/policy", { days: { critical: 1, high: 1, medium: 1, low: 1 } });
  const rows = await s.h.ctx.ownerPool.query("SELECT id FROM findings WHERE tenant_id = $1", [a.tenantId]);
  aIds.push(a.tenantId, ...Object.values(a.clusters), ...rows.rows.map((r) => r.id));
});
afterAll(async () => {
  await s?.close();
});

function leaksA(body: unknown): string[] {
  const text = JSON.stringify(body);
  return aIds.filter((id) => text.includes(id)).concat(/A-[12]/.test(text) ? ["A's rule ids"] : []);
}

describe("history, summaries and exports across tenants", () => {
  it("a cluster id of another tenant matches nothing, or is not found", async () => {
    const other = a.clusters["alpha-only"] as string;
    for (const path of [
      `/v1/changes?since=2020-01-01T00:00:00Z&cluster=${other}`,
      `/v1/findings/summary?groupBy=ruleId&cluster=${other}`,
      `/v1/findings/groups?cluster=${other}`,
      `/v1/sla?cluster=${other}`,
    ]) {
      const res = await s.get(b, path);
      expect(res.status, path).toBe(200);
      expect(leaksA(res.body), path).toEqual([]);
    }
    for (const path of [
      `/v1/posture/history?cluster=${other}`,
      `/v1/compliance/nist-800-204?cluster=${other}`,
    ]) {
      expect((await s.get(b, path)).status, path).toBe(404);
    }
    const exp = await s.h.app.request(`/v1/findings/export?format=ndjson&cluster=${other}`, {
      headers: { authorization: `Bearer ${b.token}` },
    });
    expect(await exp.text()).toBe("");
  });

  it("a shared cluster name means the caller's own cluster", async () => {
    for (const path of [
      "/v1/changes?since=2020-01-01T00:00:00Z&cluster=shared",
      "/v1/findings/summary?groupBy=ruleId&cluster=shared",
      "/v1/findings/groups?cluster=shared",
      "/v1/posture/history?cluster=shared",
      "/v1/compliance/nist-800-204?cluster=shared",
      "/v1/sla?cluster=shared",
    ]) {
      const res = await s.get(b, path);
      expect(res.status, path).toBe(200);
      expect(leaksA(res.body), path).toEqual([]);
      expect(JSON.stringify(res.body), path).toMatch(/B-1|"points"/);
    }
    const exp = await s.h.app.request("/v1/findings/export?format=csv&cluster=shared", {
      headers: { authorization: `Bearer ${b.token}` },
    });
    const csv = await exp.text();
    expect(csv).toContain("B-1");
    expect(leaksA(csv)).toEqual([]);
  });

  it("another tenant's cursors page the caller's own data only", async () => {
    for (const route of ROUTES) {
      const first = await s.get<{ nextCursor: string | null }>(a, route);
      expect(first.body.nextCursor, route).toBeTruthy();
      const res = await s.get(b, `${route}&cursor=${first.body.nextCursor}`);
      expect([200, 400], route).toContain(res.status);
      expect(leaksA(res.body), route).toEqual([]);
    }
  });

  it("the SLA policy is per tenant", async () => {
    const res = await s.get<{ days: { critical: number }; custom: boolean }>(b, "/v1/sla/policy");
    expect(res.body).toMatchObject({ days: { critical: 15 }, custom: false });
    const sla = await s.get<{ breaches: { critical: number } }>(b, "/v1/sla");
    expect(sla.body.breaches.critical).toBe(1); // B's critical, 40 days open, due after 15
  });

  it("whole-tenant views never count the other tenant", async () => {
    const summary = await s.get<{ total: number }>(b, "/v1/findings/summary?groupBy=severity");
    expect(summary.body.total).toBe(1);
    const history = await s.get<{ points: { open: { critical: number } }[] }>(b, "/v1/posture/history");
    expect(history.body.points.at(-1)?.open.critical).toBe(1);
    const changes = await s.get<{ items: unknown[] }>(b, "/v1/changes?since=2020-01-01T00:00:00Z");
    expect(changes.body.items).toHaveLength(1);
  });
});
