import { sha256Hex } from "@bulwark/runtime";
import { ROLE_SCOPES, type TokenScope } from "@bulwark/schema";
import type { Context } from "hono";
import type { AppEnv, TokenAuth } from "../env.js";
import { ApiError } from "../errors.js";
import { lookupSession } from "../services/auth/lookup-session.js";
import { lookupToken } from "../services/auth/lookup-token.js";
import { touchSession } from "../services/auth/touch-session.js";
import { touchToken } from "../services/auth/touch-token.js";
import { csrfMatches, csrfTokenFor, isCrossSite, presentedCsrf, readSessionCookie } from "./cookies.js";

const CHALLENGE = { "www-authenticate": 'Bearer realm="bulwark"' };
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function unauthorized(detail: string): ApiError {
  return new ApiError("unauthorized", detail, { headers: CHALLENGE });
}

export function bearerToken(header: string | undefined): string {
  if (!header) throw unauthorized("missing Authorization header (expected: Bearer <token>)");
  const match = /^Bearer +(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw unauthorized("malformed Authorization header (expected: Bearer <token>)");
  return match[1];
}

async function tokenAuth(c: Context<AppEnv>, token: string): Promise<TokenAuth> {
  const { pool, logger } = c.get("deps");
  const row = await lookupToken({ ctx: { pool }, input: { hash: sha256Hex(token) } });
  if (!row) throw unauthorized("unknown API token");
  if (row.revoked) throw unauthorized("API token has been revoked");
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) {
    throw unauthorized(`API token expired at ${row.expiresAt.toISOString()}`);
  }
  if (row.userId && !row.role) throw unauthorized("the token's user is no longer a member of this tenant");
  // a user's token never does more than its user's role allows now (a demoted user's tokens shrink with them)
  const scopes = row.role
    ? row.scopes.filter((s) => ROLE_SCOPES[row.role ?? "viewer"].includes(s))
    : row.scopes;
  await touchToken({ ctx: { pool, tenantId: row.tenantId }, input: { tokenId: row.id } }).catch(
    (e: unknown) => {
      logger.warn({ err: (e as Error).message, tokenId: row.id }, "could not record token use");
    },
  );
  return {
    kind: "token",
    tenantId: row.tenantId,
    scopes,
    tokenId: row.id,
    actorId: row.id,
    actorLabel: row.userEmail ? `${row.name} (${row.userEmail})` : row.name,
    userId: row.userId,
    role: row.role,
    sessionId: null,
    sessionBound: false,
  };
}

async function sessionAuth(c: Context<AppEnv>, cookie: string): Promise<TokenAuth> {
  const { pool, config, logger } = c.get("deps");
  const s = await lookupSession({ ctx: { pool }, input: { hash: sha256Hex(cookie) } });
  if (!s) throw unauthorized("unknown or signed-out session; sign in again");
  const now = Date.now();
  if (s.expiresAt.getTime() <= now) throw unauthorized("session expired; sign in again");
  if (s.lastSeenAt.getTime() + config.SESSION_IDLE_MINUTES * 60_000 <= now) {
    throw unauthorized(
      `session expired after ${config.SESSION_IDLE_MINUTES} minutes without use; sign in again`,
    );
  }
  if (!s.role) throw unauthorized("you are no longer a member of this session's tenant; sign in again");
  if (!SAFE_METHODS.has(c.req.method)) {
    // cookie-authenticated writes: same origin AND the session's CSRF token (header or form field)
    if (isCrossSite(c)) throw new ApiError("forbidden", "cross-site request refused (CSRF)");
    const expected = csrfTokenFor(config.SECRETS_KEY, s.id);
    if (!csrfMatches(expected, await presentedCsrf(c))) {
      throw new ApiError(
        "forbidden",
        "missing or wrong CSRF token: send the session's csrfToken in the X-CSRF-Token header or the _csrf form field",
      );
    }
  }
  await touchSession({ ctx: { pool, userId: s.userId }, input: { sessionId: s.id } }).catch((e: unknown) => {
    logger.warn({ err: (e as Error).message, sessionId: s.id }, "could not record session use");
  });
  return {
    kind: "session",
    tenantId: s.tenantId,
    scopes: [...ROLE_SCOPES[s.role]],
    tokenId: s.userId,
    actorId: s.userId,
    actorLabel: s.email,
    userId: s.userId,
    role: s.role,
    sessionId: s.id,
    sessionBound: s.bound,
  };
}

/**
 * The caller: a Bearer token when an Authorization header is sent (the cookie is then ignored), else the
 * session cookie. Sets `auth` and `tenantId` before any permission check, so a refused write is still
 * audited with its actor.
 */
export async function authenticate(
  c: Context<AppEnv>,
  allow: { tokens: boolean; sessions: boolean } = { tokens: true, sessions: true },
): Promise<TokenAuth> {
  const header = c.req.header("authorization");
  const cookie = readSessionCookie(c);
  let auth: TokenAuth;
  if (header !== undefined) {
    if (!allow.tokens) {
      throw unauthorized("this route needs a signed-in session (the session cookie), not an API token");
    }
    auth = await tokenAuth(c, bearerToken(header));
  } else if (cookie) {
    if (!allow.sessions) throw unauthorized("this route takes an API token (Authorization: Bearer <token>)");
    auth = await sessionAuth(c, cookie);
  } else if (!allow.tokens) {
    throw unauthorized("not signed in (no session cookie)");
  } else {
    throw unauthorized(
      allow.sessions
        ? "missing Authorization header (expected: Bearer <token>) or session cookie"
        : "missing Authorization header (expected: Bearer <token>)",
    );
  }
  c.set("auth", auth);
  c.set("tenantId", auth.tenantId);
  return auth;
}

/** The 403 of a scope the caller lacks, worded for what the caller is. */
export function scopeDenied(auth: TokenAuth, scope: TokenScope): ApiError {
  if (auth.kind === "session") {
    return new ApiError(
      "forbidden",
      `your role (${auth.role}) does not allow this: it needs the "${scope}" scope (${rolesWith(scope)})`,
    );
  }
  const capped = auth.userId ? ` within its user's role (${auth.role})` : "";
  return new ApiError(
    "forbidden",
    `this token lacks the "${scope}" scope (it has${capped}: ${auth.scopes.join(", ") || "none"})`,
  );
}

function rolesWith(scope: TokenScope): string {
  const roles = (Object.keys(ROLE_SCOPES) as (keyof typeof ROLE_SCOPES)[]).filter((r) =>
    ROLE_SCOPES[r].includes(scope),
  );
  return `roles: ${roles.join(", ")}`;
}
