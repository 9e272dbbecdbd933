import { withTenant } from "@bulwark/runtime";
import { sql } from "drizzle-orm";
import { queryRows } from "../../lib/query.js";
import type { TenantCtx } from "../context.js";

export interface ClusterSourceSummary {
  source: string;
  lastReceivedAt: Date;
  lastCollectedAt: Date;
  lastStatus: string;
}

export interface ClusterSummary {
  id: string;
  name: string;
  createdAt: Date;
  sources: ClusterSourceSummary[];
}

interface Row {
  id: string;
  name: string;
  created_at: Date;
  source: string | null;
  received_at: Date | null;
  collected_at: Date | null;
  status: string | null;
}

/** Every cluster with its latest report per source, in one query (a lateral DISTINCT ON per cluster). */
export async function listClusters({ ctx }: { ctx: TenantCtx }): Promise<ClusterSummary[]> {
  const rows = await withTenant(ctx.pool, ctx.tenantId, (_db, client) =>
    queryRows<Row>(
      client,
      sql`
      select c.id, c.name, c.created_at, s.source, s.received_at, s.collected_at, s.status
      from clusters c
      left join lateral (
        select distinct on (r.source) r.source, r.received_at, r.collected_at, r.status
        from reports r
        where r.tenant_id = c.tenant_id and r.cluster_id = c.id
        order by r.source, r.received_at desc, r.id desc
      ) s on true
      where c.tenant_id = ${ctx.tenantId} and c.deleted_at is null
      order by c.name, s.source`,
    ),
  );
  const byId = new Map<string, ClusterSummary>();
  for (const r of rows) {
    let cluster = byId.get(r.id);
    if (!cluster) {
      cluster = { id: r.id, name: r.name, createdAt: r.created_at, sources: [] };
      byId.set(r.id, cluster);
    }
    if (r.source && r.received_at && r.collected_at && r.status) {
      cluster.sources.push({
        source: r.source,
        lastReceivedAt: r.received_at,
        lastCollectedAt: r.collected_at,
        lastStatus: r.status,
      });
    }
  }
  return [...byId.values()];
}
