import type { TokenScope } from "@bulwark/schema";
import type { Context, MiddlewareHandler } from "hono";
import { authenticate, scopeDenied } from "../auth/authenticate.js";
import { csrfTokenFor } from "../auth/cookies.js";
import type { AppEnv, TokenAuth } from "../env.js";
import { declareAccess } from "../middleware/access.js";

/**
 * A console page or form: the same check as the API's requireScope (a session whose role has the scope, or a
 * token with it; the CSRF token and same origin on every write), so what the page hides the server refuses
 * too. A page asked for without credentials is sent to sign in instead of answered 401 (see render.ts).
 */
export function consoleScope(scope: TokenScope): MiddlewareHandler<AppEnv> {
  return declareAccess<MiddlewareHandler<AppEnv>>(
    async (c, next) => {
      const auth = await authenticate(c);
      if (!auth.scopes.includes(scope)) throw scopeDenied(auth, scope);
      await next();
    },
    { kind: "scope", scope },
  );
}

/** What a page needs to know of its viewer: who, which controls to show, the CSRF token for its forms. */
export interface Viewer {
  auth: TokenAuth;
  canWrite: boolean;
  isAdmin: boolean;
  /** the session's CSRF token; empty for a token caller (tokens need none) */
  csrf: string;
}

export function viewerOf(c: Context<AppEnv>): Viewer {
  const auth = c.get("auth");
  if (!auth) throw new Error("viewerOf called on a console route without consoleScope");
  const { config } = c.get("deps");
  return {
    auth,
    canWrite: auth.scopes.includes("write"),
    isAdmin: auth.scopes.includes("admin"),
    csrf: auth.sessionId ? csrfTokenFor(config.SECRETS_KEY, auth.sessionId) : "",
  };
}
