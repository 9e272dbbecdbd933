import { withTenant } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { ApiError } from "../../errors.js";
import type { TenantCtx } from "../context.js";
import { findCluster } from "./find.js";
import { newSigningKey } from "./signing-key.js";

const { signingKeys } = tables;

/** A further signing key for rotation; the cluster's other keys stay valid until revoked. */
export async function createSigningKey({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { clusterId: string; secretsKey: Buffer };
}): Promise<{ keyId: string; secret: string }> {
  const key = newSigningKey(input.secretsKey);
  await withTenant(ctx.pool, ctx.tenantId, async (db) => {
    const cluster = await findCluster(db, ctx.tenantId, input.clusterId);
    if (!cluster) throw new ApiError("not_found", `cluster ${input.clusterId} not found`);
    await db.insert(signingKeys).values({
      id: key.keyId,
      tenantId: ctx.tenantId,
      clusterId: cluster.id,
      secretCiphertext: key.ciphertext,
    });
  });
  return { keyId: key.keyId, secret: key.secret };
}
