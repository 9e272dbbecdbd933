import {
  FINDING_COLUMNS,
  FINDING_FROM,
  type FindingFilters,
  type FindingRow,
  filterConditions,
} from "@bulwark/insights";
import { withTenant } from "@bulwark/runtime";
import { type SQL, sql } from "drizzle-orm";
import { queryRows } from "../../lib/query.js";
import type { TenantCtx } from "../context.js";
import { after, cursorValues, orderBy, type SortKey } from "./sort.js";

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
    if (input.after) where.push(after(input.sort, input.after));
    const page = (extra: SQL[]) => sql`
      select ${FINDING_COLUMNS} ${FINDING_FROM}
      where ${sql.join([...where, ...extra], sql` and `)}
      order by ${orderBy(input.sort)}
      limit ${input.limit + 1}`;
    if ((input.status ?? "all") !== "all") return queryRows<FindingRow>(client, page([]));
    // Every status: the list indexes lead with status, so one page of each stored status, each read in index
    // order, merged (Merge Append), instead of sorting every finding of the tenant. The stored status is only
    // ever open or resolved (suppressed is derived from suppressed_until).
    return queryRows<FindingRow>(
      client,
      sql`select * from ((${page([sql`f.status = 'open'`])}) union all (${page([sql`f.status = 'resolved'`])})) u
      order by ${orderBy(input.sort, "u")}
      limit ${input.limit + 1}`,
    );
  });
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return { items, next: rows.length > input.limit && last ? cursorValues(input.sort, last) : null };
}
