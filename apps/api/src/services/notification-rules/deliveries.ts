import { withTenant } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { and, desc, eq, getTableColumns, type SQL, sql } from "drizzle-orm";
import type { TenantCtx } from "../context.js";
import { loadRule } from "./row.js";

const { notificationDeliveries: d } = tables;
const { summary: _summary, ...columns } = getTableColumns(d);

export type DeliveryListRow = Omit<typeof d.$inferSelect, "summary">;

/** A rule's delivery history, newest first, keyset on (created_at, id); 404 for a rule not the tenant's. */
export async function listDeliveries({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { id: string; status?: string; limit: number; after?: { createdAt: string; id: string } };
}): Promise<{ items: DeliveryListRow[]; next: { createdAt: string; id: string } | null }> {
  return withTenant(ctx.pool, ctx.tenantId, async (db) => {
    await loadRule(db, ctx.tenantId, input.id);
    const where: SQL[] = [eq(d.tenantId, ctx.tenantId), eq(d.ruleId, input.id)];
    if (input.status) where.push(eq(d.status, input.status));
    if (input.after) {
      where.push(sql`(${d.createdAt}, ${d.id}) < (${input.after.createdAt}::timestamptz, ${input.after.id})`);
    }
    const rows = await db
      .select({
        ...columns,
        createdKey: sql<string>`to_char(${d.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      })
      .from(d)
      .where(and(...where))
      .orderBy(desc(d.createdAt), desc(d.id))
      .limit(input.limit + 1);
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    return {
      items: page.map(({ createdKey: _k, ...r }) => r),
      next: rows.length > input.limit && last ? { createdAt: last.createdKey, id: last.id } : null,
    };
  });
}
