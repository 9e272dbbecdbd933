import { withoutTenant } from "@bulwark/runtime";
import { sql } from "drizzle-orm";
import type { PoolCtx } from "../context.js";

export interface SigningKeyRow {
  tenantId: string;
  clusterId: string;
  secretCiphertext: string;
  revoked: boolean;
}

/** Resolve a key id before the tenant is known, through the SECURITY DEFINER lookup (RLS hides the table). */
export async function lookupSigningKey({
  ctx,
  input,
}: {
  ctx: PoolCtx;
  input: { keyId: string };
}): Promise<SigningKeyRow | null> {
  const { rows } = await withoutTenant(ctx.pool, (db) =>
    db.execute<{ tenant_id: string; cluster_id: string; secret_ciphertext: string; revoked: boolean }>(
      sql`select tenant_id, cluster_id, secret_ciphertext, revoked_at is not null as revoked from bulwark_signing_key(${input.keyId})`,
    ),
  );
  const row = rows[0];
  if (!row) return null;
  return {
    tenantId: row.tenant_id,
    clusterId: row.cluster_id,
    secretCiphertext: row.secret_ciphertext,
    revoked: row.revoked,
  };
}
