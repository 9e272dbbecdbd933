import { withTenant } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { and, desc, eq, getTableColumns, gt, type SQL, sql } from "drizzle-orm";
import type { TenantCtx } from "../context.js";
import type { SuppressionRow } from "./row.js";

const { suppressions } = tables;

export interface SuppressionPage {
  items: SuppressionRow[];
  /** the last row's sort key when another page follows */
  next: { createdAt: string; id: string } | null;
}

/** The tenant's suppressions, newest first, keyset-paged; expired ones only when asked for. */
export async function listSuppressions({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { includeExpired: boolean; limit: number; after?: { createdAt: string; id: string } };
}): Promise<SuppressionPage> {
  const where: SQL[] = [eq(suppressions.tenantId, ctx.tenantId)];
  if (!input.includeExpired) where.push(gt(suppressions.expiresAt, sql`now()`));
  if (input.after) {
    where.push(
      sql`(${suppressions.createdAt}, ${suppressions.id}) < (${input.after.createdAt}::timestamptz, ${input.after.id})`,
    );
  }
  const rows = await withTenant(ctx.pool, ctx.tenantId, (db) =>
    db
      .select({
        ...getTableColumns(suppressions),
        // microsecond precision for the cursor: a JS Date would drop it and skip or repeat rows
        createdKey: sql<string>`to_char(${suppressions.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      })
      .from(suppressions)
      .where(and(...where))
      .orderBy(desc(suppressions.createdAt), desc(suppressions.id))
      .limit(input.limit + 1),
  );
  const more = rows.length > input.limit;
  const page = more ? rows.slice(0, input.limit) : rows;
  const last = page[page.length - 1];
  return {
    items: page.map(({ createdKey: _k, ...row }) => row),
    next: more && last ? { createdAt: last.createdKey, id: last.id } : null,
  };
}
