import { ROLES, TOKEN_SCOPES } from "@bulwark/schema";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { csrfTokenFor } from "../../auth/cookies.js";
import type { AppEnv } from "../../env.js";
import { authOf, requireAuthenticated } from "../../middleware/auth.js";
import { bearerSecurity, json, problems } from "../../openapi/common.js";
import { getTenantSelf } from "../../services/me/tenant-name.js";
import { userTenants } from "../../services/users/memberships.js";
import { getUserSelf } from "../../services/users/self.js";

const TenantRole = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  suspended: z.boolean(),
});

const Me = z
  .object({
    via: z.enum(["session", "token"]),
    user: z.object({ id: z.string(), email: z.string(), displayName: z.string() }).nullable(),
    tenant: z.object({ id: z.string(), name: z.string(), suspended: z.boolean() }),
    role: z
      .enum(ROLES)
      .nullable()
      .openapi({ description: "Your role in this tenant; null for a service token" }),
    scopes: z
      .array(z.enum(TOKEN_SCOPES))
      .openapi({ description: "What you may do here (role or token scopes)" }),
    tenants: z.array(TenantRole).openapi({
      description:
        "Every tenant of yours with your role in each (a session bound to one tenant, or a token: that one only)",
    }),
    session: z
      .object({ id: z.string(), csrfToken: z.string(), bound: z.boolean() })
      .nullable()
      .openapi({ description: "The session, with its CSRF token for writes; null for a token" }),
    token: z.object({ id: z.string(), name: z.string() }).nullable(),
  })
  .openapi("Me");

export const route = createRoute({
  operationId: "getMe",
  method: "get",
  path: "/v1/me",
  tags: ["auth"],
  summary: "Who you are: the user, their tenants and their role in each (session or any token)",
  security: bearerSecurity,
  middleware: [requireAuthenticated] as const,
  responses: { 200: json(Me, "You"), ...problems("unauthorized") },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const auth = authOf(c);
  const { pool, config } = c.get("deps");
  const self = await getTenantSelf({ ctx: { pool, tenantId: auth.tenantId } });
  const tenant = { id: auth.tenantId, name: self?.name ?? "", suspended: Boolean(self?.suspendedAt) };
  const all = auth.userId ? await userTenants({ ctx: { pool, userId: auth.userId } }) : [];
  const user = auth.userId ? await getUserSelf({ ctx: { pool, userId: auth.userId } }) : null;
  const tenants =
    auth.kind === "session" && !auth.sessionBound ? all : all.filter((t) => t.id === auth.tenantId);
  const session = auth.kind === "session";
  c.header("cache-control", "no-store");
  return c.json(
    {
      via: auth.kind,
      user: user ? { id: user.id, email: user.email, displayName: user.displayName } : null,
      tenant,
      role: auth.role,
      scopes: auth.scopes,
      tenants,
      session:
        session && auth.sessionId
          ? {
              id: auth.sessionId,
              csrfToken: csrfTokenFor(config.SECRETS_KEY, auth.sessionId),
              bound: auth.sessionBound,
            }
          : null,
      token: session ? null : { id: auth.actorId, name: tokenName(auth.actorLabel, user?.email) },
    },
    200,
  );
};

/** a user token's audit label is `name (email)` */
function tokenName(label: string, email: string | undefined): string {
  return email && label.endsWith(` (${email})`) ? label.slice(0, -(email.length + 3)) : label;
}
