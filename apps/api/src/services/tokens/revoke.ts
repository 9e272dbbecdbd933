import { withTenant } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { and, eq, sql } from "drizzle-orm";
import { ApiError } from "../../errors.js";
import type { TenantCtx } from "../context.js";

const { apiTokens } = tables;

/** Revoke a token (idempotent; the first revocation time is kept). */
export async function revokeToken({ ctx, input }: { ctx: TenantCtx; input: { id: string } }): Promise<void> {
  const rows = await withTenant(ctx.pool, ctx.tenantId, (db) =>
    db
      .update(apiTokens)
      .set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, now())` })
      .where(and(eq(apiTokens.tenantId, ctx.tenantId), eq(apiTokens.id, input.id)))
      .returning({ id: apiTokens.id }),
  );
  if (rows.length === 0) throw new ApiError("not_found", `token ${input.id} not found`);
}
