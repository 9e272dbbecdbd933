import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { safeReturnTo } from "../../auth/return-to.js";
import { completeSignIn, isFormPost } from "../../auth/sign-in.js";
import type { AppEnv } from "../../env.js";
import { ApiError } from "../../errors.js";
import { authOf, requireSession } from "../../middleware/auth.js";
import { requireFormOrJsonBody } from "../../middleware/form-or-json.js";
import { JSON_BODY_ERRORS, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { revokeSession } from "../../services/sessions/revoke.js";
import { userTenants } from "../../services/users/memberships.js";
import { getUserSelf } from "../../services/users/self.js";
import { SignedInSchema, SwitchTenantBody } from "./schema.js";

export const route = createRoute({
  operationId: "switchTenant",
  security: [{ sessionCookie: [] }],
  method: "post",
  path: "/v1/auth/switch-tenant",
  tags: ["auth"],
  summary:
    "Act in another of your tenants: replaces this session with one in that tenant (CSRF token required)",
  description:
    "Not from a session opened through SSO or a one-time link (bound to its tenant: 403). The new session has a new CSRF token.",
  middleware: [requireSession, requireFormOrJsonBody] as const,
  request: {
    body: {
      required: false,
      content: {
        "application/json": { schema: SwitchTenantBody },
        "application/x-www-form-urlencoded": { schema: SwitchTenantBody },
      },
    },
  },
  responses: {
    200: json(SignedInSchema, "Now acting in that tenant"),
    303: { description: "Form post: redirect to returnTo (query parameter)" },
    ...problems(...JSON_BODY_ERRORS, ...TOKEN_ERRORS, "not_found"),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const auth = authOf(c);
  const { pool } = c.get("deps");
  const input = isFormPost(c) ? c.req.valid("form") : c.req.valid("json");
  if (!auth.userId || !auth.sessionId) throw new Error("requireSession guarantees a user session");
  if (auth.sessionBound) {
    throw new ApiError(
      "forbidden",
      "this session was opened for its tenant only (SSO or link); sign in again",
    );
  }
  const tenant = (await userTenants({ ctx: { pool, userId: auth.userId } })).find(
    (t) => t.id === input.tenant,
  );
  if (!tenant) throw new ApiError("not_found", `you are not a member of tenant ${input.tenant}`);
  const user = await getUserSelf({ ctx: { pool, userId: auth.userId } });
  if (!user) throw new ApiError("unauthorized", "your account no longer exists");
  await revokeSession({ ctx: { pool, userId: auth.userId }, input: { sessionId: auth.sessionId } });
  return completeSignIn(c, {
    user: { id: user.id, email: user.email, displayName: user.displayName },
    tenant: { id: tenant.id, name: tenant.name },
    role: tenant.role,
    bound: false,
    method: "password",
    redirectTo: isFormPost(c) ? safeReturnTo(c.req.query("returnTo")) : null,
  }) as never;
};
