import { withTenant } from "@bulwark/runtime";
import type { TenantCtx } from "../context.js";
import { loadRule, type RuleRow } from "./row.js";

/** One rule of the tenant (404 when absent), as GET /v1/notification-rules/{id} reads it. */
export async function getRule({ ctx, input }: { ctx: TenantCtx; input: { id: string } }): Promise<RuleRow> {
  return withTenant(ctx.pool, ctx.tenantId, (db) => loadRule(db, ctx.tenantId, input.id));
}
