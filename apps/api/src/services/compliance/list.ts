import { withTenant } from "@bulwark/runtime";
import { sql } from "drizzle-orm";
import { ApiError } from "../../errors.js";
import { queryRows } from "../../lib/query.js";
import { findCluster } from "../clusters/find.js";
import type { TenantCtx } from "../context.js";

export interface ComplianceRow {
  cluster_id: string;
  cluster_name: string;
  framework_id: string;
  title: string | null;
  version: string | null;
  report_id: string;
  collected_at: Date;
  summary: { pass: number; fail: number; manual: number };
  controls?: unknown[];
}

/**
 * The latest compliance evidence per cluster and framework. `withControls` adds every control with its
 * checks (one cluster's page); the tenant-wide list carries the summaries only. An unknown cluster is 404.
 */
export async function listCompliance({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { cluster?: string; withControls?: boolean };
}): Promise<ComplianceRow[]> {
  return withTenant(ctx.pool, ctx.tenantId, async (db, client) => {
    let clusterId: string | null = null;
    if (input.cluster) {
      const c = await findCluster(db, ctx.tenantId, input.cluster, true);
      if (!c) throw new ApiError("not_found", `no cluster '${input.cluster}' in this tenant`);
      clusterId = c.id;
    }
    return queryRows<ComplianceRow>(
      client,
      sql`select r.cluster_id, c.name as cluster_name, r.framework_id, r.title, r.version, r.report_id,
            r.collected_at, r.summary ${input.withControls ? sql`, r.controls` : sql``}
          from compliance_reports r join clusters c on c.id = r.cluster_id and c.tenant_id = r.tenant_id
          where r.tenant_id = ${ctx.tenantId} ${clusterId ? sql`and r.cluster_id = ${clusterId}` : sql``}
          order by c.name, r.framework_id`,
    );
  });
}
