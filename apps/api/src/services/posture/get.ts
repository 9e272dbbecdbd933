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
import { FINDING_FROM } from "../findings/select.js";

export interface PostureResult extends Posture {
  cluster: { id: string; name: string } | null;
}

/**
 * The tenant's posture, or one cluster's (by id or name; unknown → 404). Two grouped queries: open,
 * unsuppressed findings per strategy and severity, and findings resolved in the last 7 days per strategy.
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
    const inCluster = cluster ? sql`and f.cluster_id = ${cluster.id}` : sql``;
    const open = await queryRows<{ strategy: string; severity: Severity; n: number }>(
      client,
      sql`select f.strategy, f.severity, count(*)::int as n ${FINDING_FROM}
          where f.tenant_id = ${ctx.tenantId} and f.status = 'open' and not sp.suppressed ${inCluster}
          group by f.strategy, f.severity`,
    );
    const resolved = await queryRows<{ strategy: string; n: number }>(
      client,
      sql`select f.strategy, count(*)::int as n from findings f
          where f.tenant_id = ${ctx.tenantId} and f.status = 'resolved'
            and f.resolved_at > now() - interval '7 days' ${inCluster}
          group by f.strategy`,
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
