import { constantTimeEqual, sha256Hex } from "@bulwark/runtime";
import { type Role, roleRank, type TokenScope } from "@bulwark/schema";
import type { Context, MiddlewareHandler } from "hono";
import { authenticate, bearerToken, scopeDenied, unauthorized } from "../auth/authenticate.js";
import type { AppEnv, TokenAuth } from "../env.js";
import { ApiError } from "../errors.js";
import { declareAccess } from "./access.js";

/**
 * A tenant route's permission: a Bearer API token with the scope, or a signed-in member (session cookie, with
 * the CSRF token on writes) whose role includes it (viewer: read; editor: read, write; admin and owner: read,
 * write, admin). Token scopes are independent (admin does not imply read): a token does exactly what its
 * scopes list. 401 for missing/unknown/revoked/expired credentials, 403 for the scope.
 */
export function requireScope(scope: TokenScope): MiddlewareHandler<AppEnv> {
  return declareAccess<MiddlewareHandler<AppEnv>>(
    async (c, next) => {
      const auth = await authenticate(c);
      if (!auth.scopes.includes(scope)) throw scopeDenied(auth, scope);
      await next();
    },
    { kind: "scope", scope },
  );
}

/** A signed-in member with at least `role` (owner-only actions); API tokens never qualify. */
export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return declareAccess<MiddlewareHandler<AppEnv>>(
    async (c, next) => {
      const auth = await authenticate(c);
      if (auth.kind !== "session" || !auth.role || roleRank(auth.role) < roleRank(role)) {
        throw new ApiError(
          "forbidden",
          auth.kind === "session"
            ? `this needs the ${role} role (yours: ${auth.role})`
            : `this needs a signed-in member with the ${role} role; API tokens cannot do it`,
        );
      }
      await next();
    },
    { kind: "role", role },
  );
}

/** Any signed-in member (session cookie; CSRF token on writes). */
export const requireSession: MiddlewareHandler<AppEnv> = declareAccess<MiddlewareHandler<AppEnv>>(
  async (c, next) => {
    await authenticate(c, { tokens: false, sessions: true });
    await next();
  },
  { kind: "session" },
);

/** Any caller the API knows: a token (whatever its scopes) or a session. */
export const requireAuthenticated: MiddlewareHandler<AppEnv> = declareAccess<MiddlewareHandler<AppEnv>>(
  async (c, next) => {
    await authenticate(c);
    await next();
  },
  { kind: "authenticated" },
);

/** The authenticated caller; only routes behind requireScope (or the other guards above) call it. */
export function authOf(c: Context<AppEnv>): TokenAuth {
  const auth = c.get("auth");
  if (!auth) throw new Error("authOf called on a route without requireScope");
  return auth;
}

/** The platform operator: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. */
export const requireAdmin: MiddlewareHandler<AppEnv> = declareAccess<MiddlewareHandler<AppEnv>>(
  async (c, next) => {
    const token = bearerToken(c.req.header("authorization"));
    // comparing digests keeps the comparison constant-time whatever the presented length
    const ok = constantTimeEqual(sha256Hex(token), sha256Hex(c.get("deps").config.ADMIN_TOKEN));
    if (!ok) throw unauthorized("invalid admin token");
    c.set("operator", true);
    await next();
  },
  { kind: "operator" },
);
