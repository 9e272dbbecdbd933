import { withTenant } from "@bulwark/runtime";
import { sql } from "drizzle-orm";
import { ApiError } from "../../errors.js";
import { queryRows } from "../../lib/query.js";
import type { TenantCtx } from "../context.js";
import { type CoverageRow, type MeshCoverageView, toView } from "./row.js";

/** The latest mesh coverage facts of one cluster; 404 for an unknown (or other tenant's) cluster and before any mesh-config report. */
export async function getMeshCoverage({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { clusterId: string };
}): Promise<MeshCoverageView> {
  const rows = await withTenant(ctx.pool, ctx.tenantId, (_db, client) =>
    queryRows<CoverageRow>(
      client,
      sql`select c.id, c.name, m.report_id, m.collected_at, m.facts
          from clusters c
          left join mesh_coverage m on m.tenant_id = c.tenant_id and m.cluster_id = c.id
          where c.tenant_id = ${ctx.tenantId} and c.id = ${input.clusterId}`,
    ),
  );
  const row = rows[0];
  if (!row) throw new ApiError("not_found", `cluster ${input.clusterId} not found`);
  if (!row.report_id)
    throw new ApiError("not_found", `no mesh-config report processed yet for cluster ${input.clusterId}`);
  return toView(row);
}
