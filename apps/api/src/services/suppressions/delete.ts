import { withTenant } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { and, eq } from "drizzle-orm";
import { ApiError } from "../../errors.js";
import type { TenantCtx } from "../context.js";

const { suppressions } = tables;

/** Delete a suppression: matching findings read as what their latest snapshot says again. */
export async function deleteSuppression({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { id: string };
}): Promise<void> {
  const rows = await withTenant(ctx.pool, ctx.tenantId, (db) =>
    db
      .delete(suppressions)
      .where(and(eq(suppressions.tenantId, ctx.tenantId), eq(suppressions.id, input.id)))
      .returning({ id: suppressions.id }),
  );
  if (rows.length === 0) throw new ApiError("not_found", `suppression ${input.id} not found`);
}
