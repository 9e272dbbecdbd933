import {
  FINDING_COLUMNS,
  type FindingFilters,
  type FindingRow,
  filterConditions,
  SEEN_HEAD_JOIN,
} from "@bulwark/insights";
import { withTenant } from "@bulwark/runtime";
import { type SQL, sql } from "drizzle-orm";
import { queryRows } from "../../lib/query.js";
import type { TenantCtx } from "../context.js";
import { afterRanges, cursorValues, orderBy, type SortKey } from "./sort.js";

export type { FindingStatusFilter } from "@bulwark/insights";

export interface ListFindingsInput extends FindingFilters {
  sort: SortKey;
  limit: number;
  /** the sort-key values of the last row of the previous page */
  after?: (string | number)[];
}

export interface FindingPage {
  items: FindingRow[];
  /** the sort-key values of this page's last row, when more rows follow */
  next: (string | number)[] | null;
}

/** A page of findings in the requested order; keyset paging only. */
export async function listFindings({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: ListFindingsInput;
}): Promise<FindingPage> {
  const rows = await withTenant(ctx.pool, ctx.tenantId, async (_db, client) => {
    const where = await filterConditions(client, ctx.tenantId, input);
    if (!where) return [];
    const n = input.limit + 1;
    // Each branch one contiguous range of a list index, read in index order over narrow rows and merged (Merge
    // Append), never one query sorting every finding of the tenant; the page's rows then get their wide columns
    // and cluster. Every status: one branch per stored status (the list indexes lead with status; the stored
    // status is only open or resolved, suppressed being derived from suppressed_until). A later page: one
    // branch per keyset range (afterRanges). Without the cluster join inside, the planner cannot start from the
    // clusters and sort what it finds there.
    const statuses =
      (input.status ?? "all") === "all" ? [sql`f.status = 'open'`, sql`f.status = 'resolved'`] : [];
    const ranges = input.after ? afterRanges(input.sort, input.after) : [];
    const branches: SQL[] = [];
    for (const st of statuses.length > 0 ? statuses : [null])
      for (const r of ranges.length > 0 ? ranges : [null]) {
        const extra = [st, r].filter((x): x is SQL => x !== null);
        branches.push(sql`(select f.tenant_id, f.id, f.severity_rank, f.last_seen_at, f.first_seen_at, f.rule_id
          from findings f where ${sql.join([...where, ...extra], sql` and `)}
          order by ${orderBy(input.sort)} limit ${n})`);
      }
    return queryRows<FindingRow>(
      client,
      sql`select ${FINDING_COLUMNS}
      from (select * from (${sql.join(branches, sql` union all `)}) b order by ${orderBy(input.sort, "b")} limit ${n}) p
      join findings f on f.tenant_id = p.tenant_id and f.id = p.id
      join clusters c on c.id = f.cluster_id and c.tenant_id = f.tenant_id ${SEEN_HEAD_JOIN}
      order by ${orderBy(input.sort)}`,
    );
  });
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return { items, next: rows.length > input.limit && last ? cursorValues(input.sort, last) : null };
}
