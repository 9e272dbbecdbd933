import { newApiToken, withTenant } from "@bulwark/runtime";
import { newId, tables } from "@bulwark/schema";
import type { PoolCtx } from "../context.js";

const { tenants, apiTokens } = tables;

export interface CreatedTenant {
  tenant: { id: string; name: string };
  token: string;
}

/**
 * A tenant and its first token (admin + write + read). The tenants policy only admits the tenant named by
 * bulwark.tenant_id, so the new id is set as the transaction's tenant before the insert.
 */
export async function createTenant({
  ctx,
  input,
}: {
  ctx: PoolCtx;
  input: { name: string };
}): Promise<CreatedTenant> {
  const tenantId = newId("tenant");
  const { token, hash, prefix } = newApiToken();
  await withTenant(ctx.pool, tenantId, async (db) => {
    await db.insert(tenants).values({ id: tenantId, name: input.name });
    await db.insert(apiTokens).values({
      id: newId("apiToken"),
      tenantId,
      name: "initial admin token",
      prefix,
      tokenHash: hash,
      scopes: ["admin", "write", "read"],
    });
  });
  return { tenant: { id: tenantId, name: input.name }, token };
}
