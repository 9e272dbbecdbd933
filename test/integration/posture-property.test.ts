import { withTenant } from "@bulwark/runtime";
import { type FindingDraft, type Severity, type StrategyId, taxonomyFor } from "@bulwark/schema";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPosture } from "../../apps/api/src/services/posture/get.js";
import { createSuppression } from "../../apps/api/src/services/suppressions/create.js";
import { deleteSuppression } from "../../apps/api/src/services/suppressions/delete.js";
import { recordLapsedSuppressions } from "../../apps/worker/src/maintenance/lapsed-suppressions.js";
import { applySnapshot } from "../../apps/worker/src/snapshot/apply.js";
import { dedupeByFingerprint } from "../../apps/worker/src/snapshot/rows.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { draft, seedCluster, seedTenant } from "../support/factories.js";

/**
 * The maintained posture (counters changed by deltas in snapshot and suppression transactions, suppression
 * expiry compared with the clock) must equal a recount from the findings and suppressions alone, after any
 * sequence of snapshots, suppression changes, clock moves and sweeps.
 *
 * The clock is moved by shifting every stored instant that is compared with now() (suppression expiries, and
 * the expiries kept on findings and counters) into the past by the same amount: to every reader that is the
 * same as time passing, and it lets a test cross many expiries in milliseconds.
 */

const NAMESPACES = ["web", "pay", "ops"] as const;
const RULES = ["CVE-1", "CVE-2", "KSV-1", "KSV-2"] as const;
const SOURCES = ["trivy", "kube-bench"] as const;
const STRATS: StrategyId[] = ["INT-VULN", "LP-CTR", "PROT-MTLS"];
const SEVS: Severity[] = ["critical", "high", "medium", "low", "info"];

interface Item {
  rule: number;
  ns: number;
  sev: number;
  strat: number;
}

type Action =
  | { kind: "snapshot"; cluster: number; source: number; items: Item[]; scoped: number[] | null }
  | { kind: "suppress"; rule: number | null; ns: number | null; cluster: number | null; minutes: number }
  | { kind: "unsuppress"; pick: number }
  | { kind: "clock"; minutes: number }
  | { kind: "sweep" };

const item = fc.record({
  rule: fc.nat(RULES.length - 1),
  ns: fc.nat(NAMESPACES.length - 1),
  sev: fc.nat(SEVS.length - 1),
  strat: fc.nat(STRATS.length - 1),
});

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("snapshot" as const),
      cluster: fc.nat(1),
      source: fc.nat(1),
      items: fc.array(item, { maxLength: 8 }),
      scoped: fc.option(fc.uniqueArray(fc.nat(NAMESPACES.length - 1), { minLength: 1, maxLength: 2 })),
    }),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        kind: fc.constant("suppress" as const),
        rule: fc.option(fc.nat(RULES.length - 1)),
        ns: fc.option(fc.nat(NAMESPACES.length - 1)),
        cluster: fc.option(fc.nat(1)),
        minutes: fc.integer({ min: 1, max: 360 }),
      })
      .filter((a) => a.rule !== null || a.ns !== null || a.cluster !== null),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("unsuppress" as const), pick: fc.nat(20) }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("clock" as const), minutes: fc.integer({ min: 0, max: 240 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "sweep" as const }) },
);

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

function toDraft(i: Item): FindingDraft {
  const strategy = STRATS[i.strat] as StrategyId;
  return draft({
    ruleId: RULES[i.rule] as string,
    severity: SEVS[i.sev] as Severity,
    taxonomy: taxonomyFor(strategy),
    resource: {
      kind: "Deployment",
      namespace: NAMESPACES[i.ns] as string,
      name: "app",
      container: "c",
      image: "img",
    },
  });
}

/** Open, unsuppressed findings per strategy and severity, counted from scratch. */
async function recount(tenantId: string, clusterId?: string): Promise<Record<string, number>> {
  const r = await ctx.ownerPool.query<{ strategy: string; severity: string; n: number }>(
    `SELECT f.strategy, f.severity, count(*)::int AS n FROM findings f
     WHERE f.tenant_id = $1 AND f.status = 'open' AND ($2::text IS NULL OR f.cluster_id = $2)
       AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.tenant_id = f.tenant_id AND s.expires_at > now()
         AND (s.rule_id IS NULL OR s.rule_id = f.rule_id) AND (s.cluster_id IS NULL OR s.cluster_id = f.cluster_id)
         AND (s.namespace IS NULL OR s.namespace = f.resource_namespace))
     GROUP BY 1, 2`,
    [tenantId, clusterId ?? null],
  );
  return Object.fromEntries(r.rows.map((x) => [`${x.strategy}/${x.severity}`, x.n]));
}

async function maintained(tenantId: string, cluster?: string): Promise<Record<string, number>> {
  const p = await getPosture({ ctx: { pool: ctx.pool, tenantId }, input: cluster ? { cluster } : {} });
  const out: Record<string, number> = {};
  for (const c of p.categories)
    for (const s of c.strategies)
      for (const sev of SEVS) if (s.open[sev] > 0) out[`${s.id}/${sev}`] = s.open[sev];
  return out;
}

async function shiftClock(tenantId: string, minutes: number): Promise<void> {
  const by = `${minutes} minutes`;
  await ctx.ownerPool.query(
    "UPDATE suppressions SET expires_at = expires_at - $2::interval WHERE tenant_id = $1",
    [tenantId, by],
  );
  await ctx.ownerPool.query(
    "UPDATE findings SET suppressed_until = suppressed_until - $2::interval WHERE tenant_id = $1 AND suppressed_until IS NOT NULL",
    [tenantId, by],
  );
  // counter rows keyed by expiry move together; '-infinity' stays where it is
  await ctx.ownerPool.query(
    `WITH old AS (
       DELETE FROM posture_counts WHERE tenant_id = $1 AND suppressed_until <> '-infinity' RETURNING *
     )
     INSERT INTO posture_counts (tenant_id, cluster_id, source, strategy, severity, suppressed_until, n)
     SELECT tenant_id, cluster_id, source, strategy, severity, suppressed_until - $2::interval, sum(n)
     FROM old GROUP BY 1, 2, 3, 4, 5, 6`,
    [tenantId, by],
  );
}

describe("maintained posture", () => {
  it("equals a recount from scratch after random snapshots, suppressions, clock moves and sweeps", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 14 }), async (actions) => {
        run++;
        const t = await seedTenant(ctx.ownerPool, `prop-${run}`);
        const clusters = [t.clusterId, await seedCluster(ctx.ownerPool, t.tenantId, `prop-${run}-b`)];
        const suppressionIds: string[] = [];
        let minute = 0;
        for (const a of actions) {
          if (a.kind === "snapshot") {
            const clusterId = clusters[a.cluster] as string;
            const source = SOURCES[a.source] as (typeof SOURCES)[number];
            const namespaces = a.scoped ? a.scoped.map((n) => NAMESPACES[n] as string) : null;
            const drafts = a.items
              .map(toDraft)
              .filter((d) => !namespaces || namespaces.includes(d.resource.namespace ?? ""));
            await withTenant(ctx.pool, t.tenantId, (_db, client) =>
              applySnapshot(
                client,
                {
                  tenantId: t.tenantId,
                  clusterId,
                  source,
                  reportId: `rpt_prop${run}_${minute}`,
                  collectedAt: new Date(Date.UTC(2026, 10, 1, 0, minute++)),
                  scopeKey: namespaces ? `ns:${[...namespaces].sort().join(",")}` : "*",
                  namespaces,
                },
                dedupeByFingerprint(source, drafts),
              ),
            );
          } else if (a.kind === "suppress") {
            const row = await createSuppression({
              ctx: { pool: ctx.pool, tenantId: t.tenantId },
              input: {
                selector: {
                  ...(a.rule !== null ? { ruleId: RULES[a.rule] } : {}),
                  ...(a.ns !== null ? { namespace: NAMESPACES[a.ns] } : {}),
                  ...(a.cluster !== null ? { cluster: clusters[a.cluster] } : {}),
                },
                reason: "property",
                expiresAt: new Date(Date.now() + a.minutes * 60_000),
                createdBy: "test",
              },
            });
            suppressionIds.push(row.id);
          } else if (a.kind === "unsuppress") {
            const id = suppressionIds.splice(a.pick % Math.max(1, suppressionIds.length), 1)[0];
            if (id) await deleteSuppression({ ctx: { pool: ctx.pool, tenantId: t.tenantId }, input: { id } });
          } else if (a.kind === "clock") {
            await shiftClock(t.tenantId, a.minutes);
          } else {
            await recordLapsedSuppressions(ctx.pool);
          }
          expect(await maintained(t.tenantId)).toEqual(await recount(t.tenantId));
        }
        for (const c of clusters)
          expect(await maintained(t.tenantId, c)).toEqual(await recount(t.tenantId, c));
      }),
      { numRuns: 40, seed: Number(process.env.PROPERTY_SEED ?? 20261129) },
    );
  }, 240_000);
});
