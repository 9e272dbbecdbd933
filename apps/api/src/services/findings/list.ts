import {
  FINDING_COLUMNS,
  FINDING_FROM,
  type FindingFilters,
  type FindingRow,
  filterConditions,
} from "@bulwark/insights";
import { withTenant } from "@bulwark/runtime";
import { sql } from "drizzle-orm";
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
    return queryRows<FindingRow>(
      client,
      sql`
      select ${FINDING_COLUMNS} ${FINDING_FROM}
      where ${sql.join(where, sql` and `)}
      order by ${orderBy(input.sort)}
      limit ${input.limit + 1}`,
    );
  });
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return { items, next: rows.length > input.limit && last ? cursorValues(input.sort, last) : null };
}
