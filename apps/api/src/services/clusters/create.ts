import { withTenant } from "@bulwark/runtime";
import { newId, tables } from "@bulwark/schema";
import { ApiError, pgCode } from "../../errors.js";
import type { TenantCtx } from "../context.js";
import { newSigningKey } from "./signing-key.js";

const { clusters, signingKeys } = tables;

export interface CreatedCluster {
  cluster: { id: string; name: string };
  key: { keyId: string; secret: string };
}

/** A cluster and its first signing key, in one transaction. */
export async function createCluster({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { name: string; secretsKey: Buffer };
}): Promise<CreatedCluster> {
  const id = newId("cluster");
  const key = newSigningKey(input.secretsKey);
  try {
    await withTenant(ctx.pool, ctx.tenantId, async (db) => {
      await db.insert(clusters).values({ id, tenantId: ctx.tenantId, name: input.name });
      await db
        .insert(signingKeys)
        .values({ id: key.keyId, tenantId: ctx.tenantId, clusterId: id, secretCiphertext: key.ciphertext });
    });
  } catch (e) {
    if (pgCode(e) === "23505")
      throw new ApiError("conflict", `a cluster named "${input.name}" already exists`);
    throw e;
  }
  return { cluster: { id, name: input.name }, key: { keyId: key.keyId, secret: key.secret } };
}
