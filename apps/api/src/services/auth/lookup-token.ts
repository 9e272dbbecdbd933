import { isRole, type Role, TOKEN_SCOPES, type TokenScope } from "@bulwark/schema";
import type { PoolCtx } from "../context.js";

export interface TokenRow {
  id: string;
  tenantId: string;
  name: string;
  scopes: TokenScope[];
  revoked: boolean;
  expiresAt: Date | null;
  /** the owning user; null for a service token */
  userId: string | null;
  userEmail: string | null;
  /** the owning user's role in the token's tenant; null when they are no longer a member */
  role: Role | null;
}

/** Resolve a token hash before the tenant is known, through the SECURITY DEFINER function (RLS hides the table). */
export async function lookupToken({
  ctx,
  input,
}: {
  ctx: PoolCtx;
  input: { hash: string };
}): Promise<TokenRow | null> {
  // pool.query (not drizzle's execute) so timestamps arrive parsed as Dates
  const rows = await ctx.pool.query<{
    id: string;
    tenant_id: string;
    name: string;
    scopes: string[];
    revoked: boolean;
    expires_at: Date | null;
    user_id: string | null;
    user_email: string | null;
    role: string | null;
  }>(
    `select id, tenant_id, name, scopes, revoked_at is not null as revoked, expires_at, user_id, user_email, role
       from bulwark_api_token($1)`,
    [input.hash],
  );
  const row = rows.rows[0];
  if (!row) return null;
  const known = new Set<string>(TOKEN_SCOPES);
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    scopes: row.scopes.filter((s): s is TokenScope => known.has(s)),
    revoked: row.revoked,
    expiresAt: row.expires_at,
    userId: row.user_id,
    userEmail: row.user_email,
    role: row.role && isRole(row.role) ? row.role : null,
  };
}
