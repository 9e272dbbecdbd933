import { withTenant } from "@bulwark/runtime";
import { sql } from "drizzle-orm";
import { ApiError } from "../../errors.js";
import { queryRows } from "../../lib/query.js";
import type { TenantCtx } from "../context.js";
import { REPORT_COLUMNS, type ReportRow, type ReportView, toReportView } from "./row.js";

export async function getReport({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { id: string };
}): Promise<ReportView> {
  const rows = await withTenant(ctx.pool, ctx.tenantId, (_db, client) =>
    queryRows<ReportRow>(
      client,
      sql`select ${sql.raw(REPORT_COLUMNS)}, r.manifest from reports r where r.tenant_id = ${ctx.tenantId} and r.id = ${input.id}`,
    ),
  );
  const row = rows[0];
  if (!row) throw new ApiError("not_found", `report ${input.id} not found`);
  return toReportView(row);
}
