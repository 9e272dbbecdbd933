import type { PoolClient } from "@bulwark/runtime";
import {
  computePosture,
  emptyCounts,
  type Posture,
  type Severity,
  type SeverityCounts,
} from "@bulwark/schema";
import { type SQL, sql } from "drizzle-orm";
import { queryRows } from "../query.js";

/** `and cluster_id in (…)` for a set of clusters, nothing for all of them. */
export function inClusters(clusterIds: readonly string[] | null): SQL {
  if (!clusterIds) return sql``;
  if (clusterIds.length === 0) return sql`and false`;
  return sql`and cluster_id in (${sql.join(
    clusterIds.map((id) => sql`${id}`),
    sql`, `,
  )})`;
}

/**
 * The posture of a tenant (or some of its clusters) from the maintained counters: open findings whose
 * suppression (if any) has lapsed, per strategy and severity, and the resolutions of the last seven UTC days.
 * Both reads are a few rows per cluster and strategy, whatever the number of findings.
 */
export async function postureOn(
  client: PoolClient,
  tenantId: string,
  clusterIds: readonly string[] | null,
): Promise<Posture> {
  const inCluster = inClusters(clusterIds);
  // one round trip for both reads: at 8 requests in flight each trip costs about as much as the query
  const rows = await queryRows<{ strategy: string; severity: Severity | null; n: number }>(
    client,
    sql`select strategy, severity, sum(n)::int as n from posture_counts
        where tenant_id = ${tenantId} and suppressed_until <= now() ${inCluster}
        group by strategy, severity
        union all
        select strategy, null, sum(n)::int from posture_resolved
        where tenant_id = ${tenantId} and day > (now() at time zone 'UTC')::date - 7 ${inCluster}
        group by strategy`,
  );
  const open = rows.filter(
    (r): r is { strategy: string; severity: Severity; n: number } => r.severity !== null,
  );
  const resolved = rows.filter((r) => r.severity === null);
  const openBy = new Map<string, SeverityCounts>();
  for (const r of open) {
    const counts = openBy.get(r.strategy) ?? emptyCounts();
    counts[r.severity] += r.n;
    openBy.set(r.strategy, counts);
  }
  return computePosture(openBy, new Map(resolved.map((r) => [r.strategy, r.n])));
}
