import { constantTimeEqual, safeError, sha256Hex } from "@bulwark/runtime";
import type { TokenScope } from "@bulwark/schema";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv, TokenAuth } from "../env.js";
import { ApiError } from "../errors.js";
import { lookupToken } from "../services/auth/lookup-token.js";
import { touchToken } from "../services/auth/touch-token.js";

const CHALLENGE = { "www-authenticate": 'Bearer realm="bulwark"' };

function unauthorized(detail: string): ApiError {
  return new ApiError("unauthorized", detail, { headers: CHALLENGE });
}

function bearerToken(header: string | undefined): string {
  if (!header) throw unauthorized("missing Authorization header (expected: Bearer <token>)");
  const match = /^Bearer +(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw unauthorized("malformed Authorization header (expected: Bearer <token>)");
  return match[1];
}

/**
 * Bearer API token with a scope. Scopes are independent (admin does not imply read): a token does exactly
 * what its scopes list, which keeps automation tokens narrow. 401 for missing/unknown/revoked, 403 for scope.
 */
export function requireScope(scope: TokenScope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { pool, logger } = c.get("deps");
    const token = bearerToken(c.req.header("authorization"));
    const row = await lookupToken({ ctx: { pool }, input: { hash: sha256Hex(token) } });
    if (!row) throw unauthorized("unknown API token");
    if (row.revoked) throw unauthorized("API token has been revoked");
    c.set("tenantId", row.tenantId);
    if (!row.scopes.includes(scope)) {
      throw new ApiError(
        "forbidden",
        `this token lacks the "${scope}" scope (it has: ${row.scopes.join(", ")})`,
      );
    }
    c.set("auth", { tokenId: row.id, tenantId: row.tenantId, scopes: row.scopes });
    await touchToken({ ctx: { pool, tenantId: row.tenantId }, input: { tokenId: row.id } }).catch(
      (e: unknown) => {
        logger.warn({ err: safeError(e), tokenId: row.id }, "could not record token use");
      },
    );
    await next();
  };
}

/** The authenticated caller; only routes behind requireScope call it. */
export function authOf(c: Context<AppEnv>): TokenAuth {
  const auth = c.get("auth");
  if (!auth) throw new Error("authOf called on a route without requireScope");
  return auth;
}

/** The platform operator: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = bearerToken(c.req.header("authorization"));
  // comparing digests keeps the comparison constant-time whatever the presented length
  const ok = constantTimeEqual(sha256Hex(token), sha256Hex(c.get("deps").config.ADMIN_TOKEN));
  if (!ok) throw unauthorized("invalid admin token");
  await next();
};
