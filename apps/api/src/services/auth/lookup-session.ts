import { isRole, type Role } from "@bulwark/schema";
import type { PoolCtx } from "../context.js";

export interface SessionRow {
  id: string;
  userId: string;
  tenantId: string;
  bound: boolean;
  method: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  email: string;
  displayName: string;
  /** the user's role in the session's tenant; null when they are no longer a member */
  role: Role | null;
}

/** Resolve a session cookie's hash (SECURITY DEFINER: no tenant or user is known yet). */
export async function lookupSession({
  ctx,
  input,
}: {
  ctx: PoolCtx;
  input: { hash: string };
}): Promise<SessionRow | null> {
  // pool.query (not drizzle's execute) so timestamps arrive parsed as Dates
  const { rows } = await ctx.pool.query<{
    id: string;
    user_id: string;
    tenant_id: string;
    bound: boolean;
    method: string;
    created_at: Date;
    last_seen_at: Date;
    expires_at: Date;
    email: string;
    display_name: string;
    role: string | null;
  }>(
    `select id, user_id, tenant_id, bound, method, created_at, last_seen_at, expires_at, email, display_name, role
     from bulwark_session($1)`,
    [input.hash],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    userId: r.user_id,
    tenantId: r.tenant_id,
    bound: r.bound,
    method: r.method,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    email: r.email,
    displayName: r.display_name,
    role: r.role && isRole(r.role) ? r.role : null,
  };
}
