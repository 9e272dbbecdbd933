import { withTenant } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { and, eq, sql } from "drizzle-orm";
import { ApiError } from "../../errors.js";
import type { TenantCtx } from "../context.js";

const { signingKeys } = tables;

/** Revoke one key of one cluster (idempotent: revoking again keeps the first revocation time). */
export async function revokeSigningKey({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { clusterId: string; keyId: string };
}): Promise<void> {
  const rows = await withTenant(ctx.pool, ctx.tenantId, (db) =>
    db
      .update(signingKeys)
      .set({ revokedAt: sql`coalesce(${signingKeys.revokedAt}, now())` })
      .where(
        and(
          eq(signingKeys.tenantId, ctx.tenantId),
          eq(signingKeys.clusterId, input.clusterId),
          eq(signingKeys.id, input.keyId),
        ),
      )
      .returning({ id: signingKeys.id }),
  );
  if (rows.length === 0) {
    throw new ApiError("not_found", `signing key ${input.keyId} not found for cluster ${input.clusterId}`);
  }
}
