import { applySuppressionChange, withTenant } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { and, eq } from "drizzle-orm";
import { ApiError } from "../../errors.js";
import type { TenantCtx } from "../context.js";

const { suppressions } = tables;

/**
 * Delete a suppression: matching findings read as what their latest snapshot says again (unless another
 * active suppression still covers them), with an `unsuppressed` event each.
 */
export async function deleteSuppression({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { id: string };
}): Promise<void> {
  await withTenant(ctx.pool, ctx.tenantId, async (db, client) => {
    const rows = await db
      .delete(suppressions)
      .where(and(eq(suppressions.tenantId, ctx.tenantId), eq(suppressions.id, input.id)))
      .returning();
    const row = rows[0];
    if (!row) throw new ApiError("not_found", `suppression ${input.id} not found`);
    await applySuppressionChange(client, ctx.tenantId, row, row.id);
  });
}
