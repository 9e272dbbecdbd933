import { withTenant } from "@bulwark/runtime";
import { newId, type Role, tables } from "@bulwark/schema";
import { sql } from "drizzle-orm";
import type pg from "pg";
import { newOneTimeToken } from "../../auth/one-time-token.js";
import { ensureMembership, ensureUser } from "../users/ensure.js";

/** A one-time sign-in link token for a member (single use, `ttlMinutes` long). */
export async function createSignInLink({
  ctx,
  input,
}: {
  ctx: { pool: pg.Pool; tenantId: string };
  input: { userId: string; ttlMinutes: number };
}): Promise<{ token: string; path: string; expiresAt: Date }> {
  const { token, hash } = newOneTimeToken("bwl", ctx.tenantId);
  const [row] = await withTenant(ctx.pool, ctx.tenantId, (db) =>
    db
      .insert(tables.signInLinks)
      .values({
        id: newId("signInLink"),
        tenantId: ctx.tenantId,
        userId: input.userId,
        tokenHash: hash,
        expiresAt: sql`now() + make_interval(mins => ${input.ttlMinutes})`,
      })
      .returning({ expiresAt: tables.signInLinks.expiresAt }),
  );
  return {
    token,
    path: `/v1/auth/link?token=${encodeURIComponent(token)}`,
    expiresAt: row?.expiresAt ?? new Date(),
  };
}

/**
 * For operators' tooling and the demo: the member with this e-mail (created, with `role`, when missing) and a
 * one-time sign-in link for them.
 */
export async function signInLinkFor({
  pool,
  tenantId,
  email,
  displayName,
  role,
  ttlMinutes = 30,
}: {
  pool: pg.Pool;
  tenantId: string;
  email: string;
  displayName: string;
  role: Role;
  ttlMinutes?: number;
}): Promise<{ path: string; expiresAt: Date; userId: string }> {
  const user = await ensureUser({ ctx: { pool }, input: { email, displayName } });
  await ensureMembership({ ctx: { pool, tenantId }, input: { userId: user.id, role } });
  const link = await createSignInLink({ ctx: { pool, tenantId }, input: { userId: user.id, ttlMinutes } });
  return { path: link.path, expiresAt: link.expiresAt, userId: user.id };
}
