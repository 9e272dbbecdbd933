import { withTenant } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { eq } from "drizzle-orm";
import type { TenantCtx } from "../context.js";

/** The tenant's own row: its name and suspension. */
export async function getTenantSelf({
  ctx,
}: {
  ctx: TenantCtx;
}): Promise<{ id: string; name: string; suspendedAt: Date | null; suspendedReason: string | null } | null> {
  const rows = await withTenant(ctx.pool, ctx.tenantId, (db) =>
    db
      .select({
        id: tables.tenants.id,
        name: tables.tenants.name,
        suspendedAt: tables.tenants.suspendedAt,
        suspendedReason: tables.tenants.suspendedReason,
      })
      .from(tables.tenants)
      .where(eq(tables.tenants.id, ctx.tenantId)),
  );
  return rows[0] ?? null;
}
