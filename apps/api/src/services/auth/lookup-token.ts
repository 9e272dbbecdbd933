import { withoutTenant } from "@bulwark/runtime";
import { TOKEN_SCOPES, type TokenScope } from "@bulwark/schema";
import { sql } from "drizzle-orm";
import type { PoolCtx } from "../context.js";

export interface TokenRow {
  id: string;
  tenantId: string;
  scopes: TokenScope[];
  revoked: boolean;
}

/** Resolve a token hash before the tenant is known, through the SECURITY DEFINER function (RLS hides the table). */
export async function lookupToken({
  ctx,
  input,
}: {
  ctx: PoolCtx;
  input: { hash: string };
}): Promise<TokenRow | null> {
  const rows = await withoutTenant(ctx.pool, (db) =>
    db.execute<{ id: string; tenant_id: string; scopes: string[]; revoked: boolean }>(
      sql`select id, tenant_id, scopes, revoked_at is not null as revoked from bulwark_api_token(${input.hash})`,
    ),
  );
  const row = rows.rows[0];
  if (!row) return null;
  const known = new Set<string>(TOKEN_SCOPES);
  return {
    id: row.id,
    tenantId: row.tenant_id,
    scopes: row.scopes.filter((s): s is TokenScope => known.has(s)),
    revoked: row.revoked,
  };
}
