import { withTenant } from "@bulwark/runtime";
import {
  computePosture,
  emptyCounts,
  type Posture,
  type Severity,
  type SeverityCounts,
} from "@bulwark/schema";
import { sql } from "drizzle-orm";
import { ApiError } from "../../errors.js";
import { queryRows } from "../../lib/query.js";
import { findCluster } from "../clusters/find.js";
import type { TenantCtx } from "../context.js";

export interface PostureResult extends Posture {
  cluster: { id: string; name: string } | null;
}

/**
 * The tenant's posture, or one cluster's (by id or name; unknown → 404), from the maintained counters: open
 * findings whose suppression (if any) has lapsed, per strategy and severity, and the resolutions of the last
 * seven UTC days. Both reads are a few rows per cluster and strategy, whatever the number of findings.
 */
export async function getPosture({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { cluster?: string };
}): Promise<PostureResult> {
  return withTenant(ctx.pool, ctx.tenantId, async (db, client) => {
    let cluster: { id: string; name: string } | null = null;
    if (input.cluster) {
      cluster = await findCluster(db, ctx.tenantId, input.cluster, true);
      if (!cluster) throw new ApiError("not_found", `no cluster '${input.cluster}' in this tenant`);
    }
    const inCluster = cluster ? sql`and cluster_id = ${cluster.id}` : sql``;
    const open = await queryRows<{ strategy: string; severity: Severity; n: number }>(
      client,
      sql`select strategy, severity, sum(n)::int as n from posture_counts
          where tenant_id = ${ctx.tenantId} and suppressed_until <= now() ${inCluster}
          group by strategy, severity`,
    );
    const resolved = await queryRows<{ strategy: string; n: number }>(
      client,
      sql`select strategy, sum(n)::int as n from posture_resolved
          where tenant_id = ${ctx.tenantId} and day > (now() at time zone 'UTC')::date - 7 ${inCluster}
          group by strategy`,
    );
    const openBy = new Map<string, SeverityCounts>();
    for (const r of open) {
      const counts = openBy.get(r.strategy) ?? emptyCounts();
      counts[r.severity] += r.n;
      openBy.set(r.strategy, counts);
    }
    const posture = computePosture(openBy, new Map(resolved.map((r) => [r.strategy, r.n])));
    return { cluster, ...posture };
  });
}
