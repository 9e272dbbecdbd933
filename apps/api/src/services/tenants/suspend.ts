import { withTenant } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { eq, sql } from "drizzle-orm";
import type pg from "pg";
import { ApiError } from "../../errors.js";

const { tenants } = tables;

/** Suspend (with a reason shown to the tenant's uploads) or resume; nothing is deleted either way. */
export async function setSuspension({
  ctx,
  input,
}: {
  ctx: { pool: pg.Pool };
  input: { tenantId: string; suspend: boolean; reason?: string };
}): Promise<void> {
  const rows = await withTenant(ctx.pool, input.tenantId, (db) =>
    db
      .update(tenants)
      .set(
        input.suspend
          ? {
              suspendedAt: sql`coalesce(${tenants.suspendedAt}, now())`,
              suspendedReason: input.reason ?? null,
            }
          : { suspendedAt: null, suspendedReason: null },
      )
      .where(eq(tenants.id, input.tenantId))
      .returning({ id: tenants.id }),
  );
  if (rows.length === 0) throw new ApiError("not_found", `tenant ${input.tenantId} not found`);
}
