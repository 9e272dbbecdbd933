import { withTenant } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { and, eq } from "drizzle-orm";
import { ApiError } from "../../errors.js";
import type { TenantCtx } from "../context.js";

/**
 * Delete a rule and its delivery history. Its job scheduler goes at the next notification sync; a tick that
 * fires before then finds no rule and sends nothing.
 */
export async function deleteRule({ ctx, input }: { ctx: TenantCtx; input: { id: string } }): Promise<void> {
  await withTenant(ctx.pool, ctx.tenantId, async (db) => {
    const rows = await db
      .delete(tables.notificationRules)
      .where(
        and(eq(tables.notificationRules.tenantId, ctx.tenantId), eq(tables.notificationRules.id, input.id)),
      )
      .returning({ id: tables.notificationRules.id });
    if (!rows[0]) throw new ApiError("not_found", `notification rule ${input.id} not found`);
  });
}
