/**
 * GET /v1/findings/summary answers open and suppressed findings by severity, strategy, category, source and
 * cluster from the maintained counters. Here the two paths meet: after snapshots of several sources and
 * clusters, a resolving re-scan, a standing suppression and one that lapses, the counters' answer equals the
 * count over the findings for every one and two keys the counters take, under every filter they take.
 */
import { SEVERITIES, type Severity, type Source, STRATEGY_IDS, taxonomyFor } from "@bulwark/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type GroupKey,
  type SummaryInput,
  summarizeFindings,
} from "../../apps/api/src/services/findings/summary.js";
import { countersCanAnswer } from "../../apps/api/src/services/findings/summary-counters.js";
import { draft } from "../support/factories.js";
import { rng } from "../support/rng.js";
import { Scenario, type ScenarioTenant } from "../support/scenario.js";

let s: Scenario;
let t: ScenarioTenant;
let other: ScenarioTenant;

beforeAll(async () => {
  s = await Scenario.create();
  t = await s.tenant("counted", ["eu", "us", "ap"]);
  other = await s.tenant("neighbour", ["eu"]);
  const r = rng(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;
  const sources: Source[] = ["trivy", "polaris", "kube-bench"];
  for (const cluster of ["eu", "us", "ap"]) {
    for (const source of sources) {
      const drafts = Array.from({ length: 40 }, (_, i) =>
        draft({
          ruleId: `R-${source}-${i % 13}`,
          severity: pick(SEVERITIES) as Severity,
          taxonomy: taxonomyFor(pick(STRATEGY_IDS)),
          resource: {
            kind: "Deployment",
            namespace: pick(["pay", "web", "ops"]),
            name: `w${i}`,
            container: "app",
            image: "img:1",
          },
        }),
      );
      await s.apply(t, cluster, drafts, { source, at: new Date(Date.now() - 3_600_000) });
      // a re-scan that fixed a third of them
      await s.apply(
        t,
        cluster,
        drafts.filter((_, i) => i % 3 !== 0),
        { source },
      );
    }
  }
  await s.apply(other, "eu", [draft({ ruleId: "R-trivy-1", severity: "critical" })]);
  const sup = async (ruleId: string, ms: number) =>
    expect(
      (
        await s.send(t, "POST", "/v1/suppressions", {
          selector: { ruleId },
          reason: "accepted",
          expiresAt: new Date(Date.now() + ms).toISOString(),
        })
      ).status,
    ).toBe(201);
  await sup("R-trivy-1", 86_400_000);
  await sup("R-polaris-2", 86_400_000);
  // lapses while the test waits: counted open again with nothing written
  await sup("R-kube-bench-3", 1_500);
  await new Promise((res) => setTimeout(res, 2_000));
}, 60_000);
afterAll(async () => {
  await s?.close();
});

const KEYS: GroupKey[] = ["severity", "strategy", "category", "source", "cluster"];
const FILTERS: Partial<SummaryInput>[] = [
  {},
  { cluster: "us" },
  { source: "polaris" },
  { severity: ["critical", "high"] },
  { strategy: "INT-VULN" },
  { category: "LP" },
  { cluster: "eu", source: "trivy", severity: ["medium"] },
  { cluster: "nowhere" },
];

describe("summary from the counters", () => {
  it("equals the count over the findings for every key pair and filter, open and suppressed", async () => {
    const ctx = { pool: s.h.ctx.pool, tenantId: t.tenantId };
    let compared = 0;
    let nonEmpty = 0;
    for (const status of ["open", "suppressed"] as const)
      for (const a of KEYS)
        for (const b of [undefined, ...KEYS.filter((k) => k !== a)])
          for (const f of FILTERS) {
            const input = { groupBy: b ? [a, b] : [a], limit: 1000, status, ...f } as SummaryInput;
            expect(countersCanAnswer(input)).toBe(true);
            const fast = await summarizeFindings({ ctx, input });
            const slow = await summarizeFindings({ ctx, input, path: "findings" });
            expect(fast, JSON.stringify(input)).toEqual(slow);
            compared++;
            if (fast.total > 0) nonEmpty++;
          }
    expect(compared).toBe(2 * 25 * FILTERS.length);
    expect(nonEmpty).toBeGreaterThan(compared / 2);
  });

  it("keeps limit and truncated the same", async () => {
    const ctx = { pool: s.h.ctx.pool, tenantId: t.tenantId };
    const input = { groupBy: ["strategy", "severity"], limit: 3, status: "open" } as SummaryInput;
    const fast = await summarizeFindings({ ctx, input });
    expect(fast.truncated).toBe(true);
    expect(fast.groups).toHaveLength(3);
    expect(fast).toEqual(await summarizeFindings({ ctx, input, path: "findings" }));
  });

  it("leaves to the findings what the counters do not hold", () => {
    const base = { groupBy: ["severity"], limit: 10, status: "open" } as SummaryInput;
    expect(countersCanAnswer({ ...base, groupBy: ["namespace"] })).toBe(false);
    expect(countersCanAnswer({ ...base, groupBy: ["severity", "ruleId"] })).toBe(false);
    expect(countersCanAnswer({ ...base, status: "resolved" })).toBe(false);
    expect(countersCanAnswer({ ...base, status: "all" })).toBe(false);
    for (const f of [
      { namespace: "pay" },
      { q: "R-" },
      { ruleId: "R-trivy-1" },
      { since: "2026-01-01T00:00:00Z" },
      { kind: "Pod" },
    ])
      expect(countersCanAnswer({ ...base, ...f })).toBe(false);
  });

  it("through the route: a tenant sees only its own counts", async () => {
    const res = await s.get<{ groups: { key: { severity: string }; count: number }[]; total: number }>(
      other,
      "/v1/findings/summary?groupBy=severity",
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      groups: [{ key: { severity: "critical" }, count: 1 }],
      total: 1,
      truncated: false,
    });
  });
});
