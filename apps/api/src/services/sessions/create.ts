import { randomBytes } from "node:crypto";
import { sha256Hex, withActor } from "@bulwark/runtime";
import { newId, tables } from "@bulwark/schema";
import type pg from "pg";
import { csrfTokenFor } from "../../auth/cookies.js";

export type SignInMethod = "password" | "oidc" | "link" | "invitation";

export interface NewSession {
  id: string;
  /** the cookie value, never stored (only its SHA-256) */
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * A server-side session for a member of `tenantId`. `bound`: the session may not switch to the user's other
 * tenants (SSO and one-time links vouch for one tenant only).
 */
export async function createSession({
  ctx,
  input,
}: {
  ctx: { pool: pg.Pool; secretsKey: string; maxHours: number };
  input: {
    userId: string;
    tenantId: string;
    bound: boolean;
    method: SignInMethod;
    ip: string | null;
    userAgent: string | null;
  };
}): Promise<NewSession> {
  const id = newId("session");
  const token = `bss_${randomBytes(32).toString("base64url")}`;
  const expiresAt = new Date(Date.now() + ctx.maxHours * 3_600_000);
  await withActor(ctx.pool, { userId: input.userId, tenantId: input.tenantId }, (db) =>
    db.insert(tables.sessions).values({
      id,
      tokenHash: sha256Hex(token),
      userId: input.userId,
      tenantId: input.tenantId,
      bound: input.bound,
      method: input.method,
      expiresAt,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    }),
  );
  return { id, token, csrfToken: csrfTokenFor(ctx.secretsKey, id), expiresAt };
}
