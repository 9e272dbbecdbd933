import { type Db, withTenant } from "@bulwark/runtime";
import { DEFAULT_SLA_DAYS, type SlaDays, tables } from "@bulwark/schema";
import { eq } from "drizzle-orm";
import type { TenantCtx } from "../context.js";

const { slaPolicies } = tables;

export interface SlaPolicy {
  days: SlaDays;
  /** false while the tenant uses the documented defaults */
  custom: boolean;
  updatedAt: Date | null;
}

export async function readSlaPolicy(db: Db, tenantId: string): Promise<SlaPolicy> {
  const rows = await db.select().from(slaPolicies).where(eq(slaPolicies.tenantId, tenantId));
  const row = rows[0];
  return row
    ? { days: row.days, custom: true, updatedAt: row.updatedAt }
    : { days: DEFAULT_SLA_DAYS, custom: false, updatedAt: null };
}

export async function getSlaPolicy({ ctx }: { ctx: TenantCtx }): Promise<SlaPolicy> {
  return withTenant(ctx.pool, ctx.tenantId, (db) => readSlaPolicy(db, ctx.tenantId));
}

export async function putSlaPolicy({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { days: SlaDays; updatedBy: string };
}): Promise<SlaPolicy> {
  return withTenant(ctx.pool, ctx.tenantId, async (db) => {
    const now = new Date();
    await db
      .insert(slaPolicies)
      .values({ tenantId: ctx.tenantId, days: input.days, updatedAt: now, updatedBy: input.updatedBy })
      .onConflictDoUpdate({
        target: slaPolicies.tenantId,
        set: { days: input.days, updatedAt: now, updatedBy: input.updatedBy },
      });
    return { days: input.days, custom: true, updatedAt: now };
  });
}
