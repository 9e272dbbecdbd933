import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { clearSessionCookies } from "../../auth/cookies.js";
import { safeReturnTo } from "../../auth/return-to.js";
import { isFormPost } from "../../auth/sign-in.js";
import type { AppEnv } from "../../env.js";
import { authOf, requireSession } from "../../middleware/auth.js";
import { json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { revokeAllSessions, revokeSession } from "../../services/sessions/revoke.js";
import { CsrfBody, LoggedOut } from "./schema.js";

const body = {
  required: false,
  content: {
    "application/json": { schema: CsrfBody },
    "application/x-www-form-urlencoded": { schema: CsrfBody },
  },
};

export const logoutRoute = createRoute({
  operationId: "signOut",
  security: [{ sessionCookie: [] }],
  method: "post",
  path: "/v1/auth/logout",
  tags: ["auth"],
  summary: "Sign out: ends this session and clears its cookies (CSRF token required)",
  description:
    "A form post is answered 303 to `returnTo` (query parameter; a path on this site), JSON with 200.",
  middleware: [requireSession] as const,
  request: { body },
  responses: {
    200: json(LoggedOut, "Signed out"),
    303: { description: "Signed out (form post)" },
    ...problems(...TOKEN_ERRORS),
  },
});

export const logoutHandler: RouteHandler<typeof logoutRoute, AppEnv> = async (c) => {
  const auth = authOf(c);
  const { pool } = c.get("deps");
  if (auth.userId && auth.sessionId) {
    await revokeSession({ ctx: { pool, userId: auth.userId }, input: { sessionId: auth.sessionId } });
  }
  clearSessionCookies(c);
  if (isFormPost(c)) return c.redirect(safeReturnTo(c.req.query("returnTo"), "/"), 303) as never;
  return c.json({ signedOut: 1 }, 200);
};

export const everywhereRoute = createRoute({
  operationId: "signOutEverywhere",
  security: [{ sessionCookie: [] }],
  method: "post",
  path: "/v1/auth/logout-everywhere",
  tags: ["auth"],
  summary: "Sign out everywhere: ends every session of your account (CSRF token required)",
  description: [
    "Every session of the signed-in user, in every tenant, this one included. From a session opened through a",
    "tenant's SSO or a one-time link (bound to that tenant), only that tenant's sessions end. API tokens are not",
    "sessions: revoke them with DELETE /v1/tokens/{id}.",
  ].join("\n"),
  middleware: [requireSession] as const,
  request: { body },
  responses: {
    200: json(LoggedOut, "Signed out; `signedOut` counts the sessions ended"),
    303: { description: "Signed out (form post)" },
    ...problems(...TOKEN_ERRORS),
  },
});

export const everywhereHandler: RouteHandler<typeof everywhereRoute, AppEnv> = async (c) => {
  const auth = authOf(c);
  const { pool } = c.get("deps");
  const n = auth.userId
    ? await revokeAllSessions({
        ctx: { pool, userId: auth.userId },
        input: { onlyTenantId: auth.sessionBound ? auth.tenantId : null },
      })
    : 0;
  clearSessionCookies(c);
  if (isFormPost(c)) return c.redirect(safeReturnTo(c.req.query("returnTo"), "/"), 303) as never;
  return c.json({ signedOut: n }, 200);
};
