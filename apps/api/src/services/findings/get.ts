import { FINDING_COLUMNS, FINDING_FROM, type FindingRow, tenantFindings } from "@bulwark/insights";
import { withTenant } from "@bulwark/runtime";
import { sql } from "drizzle-orm";
import { ApiError } from "../../errors.js";
import { queryRows } from "../../lib/query.js";
import type { TenantCtx } from "../context.js";

export interface FindingEventRow {
  from_status: string | null;
  to_status: string;
  at: Date;
  report_id: string | null;
}

/** One finding with its status history (oldest first). */
export async function getFinding({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { id: string };
}): Promise<{ finding: FindingRow; history: FindingEventRow[] }> {
  return withTenant(ctx.pool, ctx.tenantId, async (_db, client) => {
    const rows = await queryRows<FindingRow>(
      client,
      sql`select ${FINDING_COLUMNS} ${FINDING_FROM} where ${tenantFindings(ctx.tenantId)} and f.id = ${input.id}`,
    );
    const finding = rows[0];
    if (!finding) throw new ApiError("not_found", `finding ${input.id} not found`);
    const history = await queryRows<FindingEventRow>(
      client,
      sql`
      select e.from_status, e.to_status, e.at, e.report_id from finding_events e
      where e.tenant_id = ${ctx.tenantId} and e.finding_id = ${input.id}
      order by e.at asc, e.id asc`,
    );
    return { finding, history };
  });
}
