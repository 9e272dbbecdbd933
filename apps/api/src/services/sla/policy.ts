import { readSlaPolicy, type SlaPolicy } from "@bulwark/insights";
import { withTenant } from "@bulwark/runtime";
import { type SlaDays, tables } from "@bulwark/schema";
import type { TenantCtx } from "../context.js";

const { slaPolicies } = tables;

export type { SlaPolicy };

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
