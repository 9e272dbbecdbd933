import { withTenant } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { and, asc, eq } from "drizzle-orm";
import { ApiError } from "../../errors.js";
import type { TenantCtx } from "../context.js";
import { findCluster } from "./find.js";

const { signingKeys } = tables;

export interface SigningKeySummary {
  keyId: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** A cluster's signing keys, without secrets (they are shown once, at creation). */
export async function listSigningKeys({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { clusterId: string };
}): Promise<SigningKeySummary[]> {
  return withTenant(ctx.pool, ctx.tenantId, async (db) => {
    const cluster = await findCluster(db, ctx.tenantId, input.clusterId);
    if (!cluster) throw new ApiError("not_found", `cluster ${input.clusterId} not found`);
    return db
      .select({ keyId: signingKeys.id, createdAt: signingKeys.createdAt, revokedAt: signingKeys.revokedAt })
      .from(signingKeys)
      .where(and(eq(signingKeys.tenantId, ctx.tenantId), eq(signingKeys.clusterId, cluster.id)))
      .orderBy(asc(signingKeys.createdAt), asc(signingKeys.id));
  });
}
