import { withTenant } from "@bulwark/runtime";
import { sql } from "drizzle-orm";
import { NONCE_TTL_S } from "../../ingest/limits.js";
import type { TenantCtx } from "../context.js";

/**
 * Record a nonce for a key; false when it was already seen within the TTL (a replay). The conditional upsert
 * is atomic, so two concurrent requests with one nonce cannot both pass, and an expired row not yet swept is
 * reused instead of blocking the nonce forever.
 */
export async function consumeNonce({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { keyId: string; nonce: string };
}): Promise<boolean> {
  const result = await withTenant(ctx.pool, ctx.tenantId, (db) =>
    db.execute(sql`
      insert into nonces (tenant_id, key_id, nonce, expires_at)
      values (${ctx.tenantId}, ${input.keyId}, ${input.nonce}, now() + make_interval(secs => ${NONCE_TTL_S}))
      on conflict (key_id, nonce) do update
        set expires_at = excluded.expires_at, tenant_id = excluded.tenant_id
        where nonces.expires_at < now()`),
  );
  return (result.rowCount ?? 0) > 0;
}
