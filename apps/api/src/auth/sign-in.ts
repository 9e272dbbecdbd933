import type { Role } from "@bulwark/schema";
import type { Context } from "hono";
import type { AppEnv } from "../env.js";
import { appendAudit } from "../services/audit/append.js";
import { createSession, type SignInMethod } from "../services/sessions/create.js";
import { clientIp } from "./client-ip.js";
import { setSessionCookies } from "./cookies.js";

const FORM = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/** A browser form post (answered with a redirect) rather than a script's JSON call (answered with JSON). */
export function isFormPost(c: Context<AppEnv>): boolean {
  return FORM.test(c.req.header("content-type") ?? "");
}

export interface SignInAudit {
  tenantIds: string[];
  method: SignInMethod;
  outcome: "success" | "failure" | "denied";
  userId: string | null;
  email: string | null;
  reason?: string;
  status: number;
}

/** `auth.sign_in` in each named tenant's audit log; a failure to write is logged, never shown to the caller. */
export async function auditSignIn(c: Context<AppEnv>, a: SignInAudit): Promise<void> {
  if (a.tenantIds.length === 0) return;
  const { pool, logger } = c.get("deps");
  const ip = clientIp(c);
  await appendAudit({
    ctx: { pool },
    input: a.tenantIds.map((tenantId) => ({
      tenantId,
      actorType: a.userId ? ("user" as const) : ("anonymous" as const),
      actorId: a.userId,
      actorLabel: a.email,
      action: "auth.sign_in",
      target: a.email,
      outcome: a.outcome,
      status: a.status,
      requestId: c.get("requestId"),
      ip,
      details: { method: a.method, ...(a.reason ? { reason: a.reason } : {}) },
    })),
  }).catch((e: unknown) => logger.error({ err: (e as Error).message }, "could not audit a sign-in"));
}

export interface SignedIn {
  user: { id: string; email: string; displayName: string };
  tenant: { id: string; name: string };
  role: Role;
  csrfToken: string;
  expiresAt: string;
}

/**
 * The end of every way in: a new server-side session, its cookies, the audit entry; then a 303 to the safe
 * `returnTo` for browsers (form posts, redirects from an identity provider or a link page) or JSON for scripts.
 */
export async function completeSignIn(
  c: Context<AppEnv>,
  s: {
    user: { id: string; email: string; displayName: string };
    tenant: { id: string; name: string };
    role: Role;
    bound: boolean;
    method: SignInMethod;
    redirectTo: string | null;
  },
): Promise<Response> {
  const { pool, config } = c.get("deps");
  const session = await createSession({
    ctx: { pool, secretsKey: config.SECRETS_KEY, maxHours: config.SESSION_MAX_HOURS },
    input: {
      userId: s.user.id,
      tenantId: s.tenant.id,
      bound: s.bound,
      method: s.method,
      ip: clientIp(c),
      userAgent: c.req.header("user-agent") ?? null,
    },
  });
  setSessionCookies(c, session);
  await auditSignIn(c, {
    tenantIds: [s.tenant.id],
    method: s.method,
    outcome: "success",
    userId: s.user.id,
    email: s.user.email,
    status: s.redirectTo ? 303 : 200,
  });
  c.header("cache-control", "no-store");
  if (s.redirectTo) return c.redirect(s.redirectTo, 303);
  const body: SignedIn = {
    user: s.user,
    tenant: s.tenant,
    role: s.role,
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt.toISOString(),
  };
  return c.json(body, 200);
}
