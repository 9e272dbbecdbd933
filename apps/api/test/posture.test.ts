import { computePosture, emptyCounts, strategyScore } from "@bulwark/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createCluster, createTenant } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";
import { seedFindings } from "./support/seed.js";

interface Counts {
  critical: number;
  high: number;
  medium: number;
  low: number;
  info: number;
}
interface StrategyP {
  id: string;
  score: number;
  open: Counts;
  resolved: number;
}
interface Posture {
  cluster: { id: string; name: string } | null;
  score: number;
  open: Counts;
  resolved: number;
  categories: (StrategyP & { strategies: StrategyP[] })[];
}

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("posture score formula", () => {
  it("is 100 with nothing open, 50 at weight 50, and always falls as findings are added", () => {
    expect(strategyScore(emptyCounts())).toBe(100);
    expect(strategyScore({ ...emptyCounts(), critical: 5 })).toBe(50);
    expect(strategyScore({ ...emptyCounts(), info: 1000 })).toBe(100);
    expect(strategyScore({ ...emptyCounts(), high: 2 })).toBeGreaterThan(
      strategyScore({ ...emptyCounts(), high: 3 }),
    );
  });
  it("averages strategies into categories and categories into the overall score", () => {
    const p = computePosture(new Map([["LP-CTR", { ...emptyCounts(), critical: 5 }]]), new Map());
    const lp = p.categories.find((c) => c.id === "LP");
    expect(lp?.strategies.map((s) => s.score)).toEqual([50, 100]);
    expect(lp?.score).toBe(75);
    expect(p.score).toBe(Math.round((75 + 100 * 5) / 6));
  });
});

describe("GET /v1/posture", () => {
  it("lists every category and strategy with open counts, 7-day resolutions and scores, per cluster", async () => {
    const { tenantId, token } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "posture");
    const { clusterId } = await createCluster(h.app, token, "prod");
    const { clusterId: staging } = await createCluster(h.app, token, "staging");
    const now = new Date();
    await seedFindings(h.ctx.ownerPool, tenantId, [
      { clusterId, severity: "critical", category: "LP", strategy: "LP-CTR", ruleId: "KSV-0017" },
      { clusterId, severity: "high", category: "LP", strategy: "LP-CTR", ruleId: "KSV-0001" },
      { clusterId, severity: "high", category: "PROT", strategy: "PROT-MTLS", ruleId: "MESH-MTLS-01" },
      { clusterId, severity: "low", category: "LP", strategy: "LP-CTR", status: "resolved", lastSeenAt: now },
      { clusterId: staging, severity: "medium", category: "INT", strategy: "INT-VULN", ruleId: "CVE-1" },
      // suppressed below: must not count as open
      { clusterId, severity: "critical", category: "INT", strategy: "INT-VULN", ruleId: "CVE-SUPP" },
    ]);
    const sup = await call(h.app, "POST", "/v1/suppressions", {
      token,
      body: {
        selector: { ruleId: "CVE-SUPP" },
        reason: "accepted risk",
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    expect(sup.status).toBe(201);

    const all = await call<Posture>(h.app, "GET", "/v1/posture", { token });
    expect(all.status).toBe(200);
    expect(all.body.cluster).toBeNull();
    expect(all.body.categories.map((c) => c.id)).toEqual(["PROT", "RES", "MON", "LP", "INT", "PLAT"]);
    expect(all.body.categories.flatMap((c) => c.strategies)).toHaveLength(19);
    expect(all.body.open).toEqual({ critical: 1, high: 2, medium: 1, low: 0, info: 0 });
    expect(all.body.resolved).toBe(1);
    const lpCtr = all.body.categories.find((c) => c.id === "LP")?.strategies.find((s) => s.id === "LP-CTR");
    expect(lpCtr).toMatchObject({ open: { critical: 1, high: 1 }, resolved: 1, score: 77 }); // 50/(50+15)
    expect(all.body.score).toBeLessThan(100);

    const prod = await call<Posture>(h.app, "GET", "/v1/posture?cluster=prod", { token });
    expect(prod.body.cluster).toEqual({ id: clusterId, name: "prod" });
    expect(prod.body.open).toEqual({ critical: 1, high: 2, medium: 0, low: 0, info: 0 });
    const byId = await call<Posture>(h.app, "GET", `/v1/posture?cluster=${staging}`, { token });
    expect(byId.body.open.medium).toBe(1);
  });

  it("answers 404 for a cluster that is not the tenant's and never shows another tenant's findings", async () => {
    const a = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "a");
    const b = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "b");
    const { clusterId } = await createCluster(h.app, a.token, "a-prod");
    await seedFindings(h.ctx.ownerPool, a.tenantId, [{ clusterId, severity: "critical" }]);
    expect((await call(h.app, "GET", `/v1/posture?cluster=${clusterId}`, { token: b.token })).status).toBe(
      404,
    );
    const bPosture = await call<Posture>(h.app, "GET", "/v1/posture", { token: b.token });
    expect(bPosture.body.score).toBe(100);
    expect(bPosture.body.open.critical).toBe(0);
  });

  it("needs the read scope", async () => {
    const t = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "scopes");
    const writeOnly = await call<{ token: string }>(h.app, "POST", "/v1/tokens", {
      token: t.token,
      body: { name: "w", scopes: ["write"] },
    });
    expect((await call(h.app, "GET", "/v1/posture")).status).toBe(401);
    expect((await call(h.app, "GET", "/v1/posture", { token: writeOnly.body.token })).status).toBe(403);
  });
});

describe("GET /v1/taxonomy and /v1/taxonomy/unmapped", () => {
  it("lists the taxonomy and the tenant's unmapped check ids", async () => {
    const { tenantId, token } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "gaps");
    const { clusterId } = await createCluster(h.app, token, "prod");
    await seedFindings(h.ctx.ownerPool, tenantId, [
      { clusterId, ruleId: "POP-999", source: "popeye" },
      { clusterId, ruleId: "POP-999", source: "popeye", name: "other" },
      { clusterId, ruleId: "KSV-0001" },
    ]);
    await h.ctx.ownerPool.query(
      "update findings set mapped = false where tenant_id = $1 and rule_id = 'POP-999'",
      [tenantId],
    );
    const tax = await call<{ categories: { strategies: unknown[] }[] }>(h.app, "GET", "/v1/taxonomy", {
      token,
    });
    expect(tax.body.categories.flatMap((c) => c.strategies)).toHaveLength(19);
    const gaps = await call<{ items: { source: string; ruleId: string; findings: number }[] }>(
      h.app,
      "GET",
      "/v1/taxonomy/unmapped",
      { token },
    );
    expect(gaps.body.items).toEqual([
      expect.objectContaining({ source: "popeye", ruleId: "POP-999", findings: 2 }),
    ]);
    const other = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "gaps-other");
    const none = await call<{ items: unknown[] }>(h.app, "GET", "/v1/taxonomy/unmapped", {
      token: other.token,
    });
    expect(none.body.items).toEqual([]);
  });
});
