import { withTenant } from "@bulwark/runtime";
import { type SQL, sql } from "drizzle-orm";
import { queryRows } from "../../lib/query.js";
import type { TenantCtx } from "../context.js";
import { REPORT_COLUMNS, type ReportRow, type ReportView, toReportView } from "./row.js";

export interface ListReportsInput {
  /** id or name */
  cluster?: string;
  source?: string;
  status?: string;
  limit: number;
  /** the last row of the previous page: received_at (microsecond text) and id */
  after?: { receivedAt: string; id: string };
}

export interface ReportPage {
  items: ReportView[];
  /** the sort key of the last item when another page exists */
  next: { receivedAt: string; id: string } | null;
}

/** Newest first; keyset on (received_at desc, id desc), never offset. */
export async function listReports({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: ListReportsInput;
}): Promise<ReportPage> {
  const where: SQL[] = [sql`r.tenant_id = ${ctx.tenantId}`];
  if (input.cluster) {
    where.push(sql`r.cluster_id in (select c.id from clusters c where c.tenant_id = ${ctx.tenantId}
      and (c.id = ${input.cluster} or c.name = ${input.cluster}))`);
  }
  if (input.source) where.push(sql`r.source = ${input.source}`);
  if (input.status) where.push(sql`r.status = ${input.status}`);
  if (input.after)
    where.push(sql`(r.received_at, r.id) < (${input.after.receivedAt}::timestamptz, ${input.after.id})`);
  const rows = await withTenant(ctx.pool, ctx.tenantId, (_db, client) =>
    queryRows<ReportRow>(
      client,
      sql`
      select ${sql.raw(REPORT_COLUMNS)} from reports r
      where ${sql.join(where, sql` and `)}
      order by r.received_at desc, r.id desc
      limit ${input.limit + 1}`,
    ),
  );
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(toReportView),
    next: rows.length > input.limit && last ? { receivedAt: last.received_key, id: last.id } : null,
  };
}
