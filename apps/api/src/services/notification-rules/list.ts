import { withTenant } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { and, desc, eq, getTableColumns, type SQL, sql } from "drizzle-orm";
import type { TenantCtx } from "../context.js";
import type { RuleRow } from "./row.js";

const { notificationRules: rules } = tables;

/** The tenant's rules, newest first, keyset on (created_at, id). */
export async function listRules({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { limit: number; after?: { createdAt: string; id: string } };
}): Promise<{ items: RuleRow[]; next: { createdAt: string; id: string } | null }> {
  const where: SQL[] = [eq(rules.tenantId, ctx.tenantId)];
  if (input.after) {
    where.push(
      sql`(${rules.createdAt}, ${rules.id}) < (${input.after.createdAt}::timestamptz, ${input.after.id})`,
    );
  }
  const rows = await withTenant(ctx.pool, ctx.tenantId, (db) =>
    db
      .select({
        ...getTableColumns(rules),
        createdKey: sql<string>`to_char(${rules.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      })
      .from(rules)
      .where(and(...where))
      .orderBy(desc(rules.createdAt), desc(rules.id))
      .limit(input.limit + 1),
  );
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ createdKey: _k, ...r }) => r),
    next: rows.length > input.limit && last ? { createdAt: last.createdKey, id: last.id } : null,
  };
}
