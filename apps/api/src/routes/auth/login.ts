import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { clientIp } from "../../auth/client-ip.js";
import { verifyPassword } from "../../auth/passwords.js";
import { safeReturnTo } from "../../auth/return-to.js";
import { auditSignIn, completeSignIn, isFormPost } from "../../auth/sign-in.js";
import { checkThrottle, clearAccountFailures, recordFailure } from "../../auth/throttle.js";
import type { AppEnv } from "../../env.js";
import { ApiError } from "../../errors.js";
import { publicAccess } from "../../middleware/access.js";
import { refuseCrossSite, requireFormOrJsonBody } from "../../middleware/form-or-json.js";
import { JSON_BODY_ERRORS, json, problems } from "../../openapi/common.js";
import { findUserByEmail } from "../../services/users/find-by-email.js";
import { userTenants } from "../../services/users/memberships.js";
import { LoginBody, SignedInSchema } from "./schema.js";

export const route = createRoute({
  operationId: "signIn",
  security: [],
  method: "post",
  path: "/v1/auth/login",
  tags: ["auth"],
  summary: "Sign in with e-mail and password; sets the session cookie",
  description: [
    "JSON (answered with the session's `csrfToken`) or a form post (answered 303 to `returnTo`).",
    "Failed attempts are throttled per account and per client address (429 with Retry-After) and audited in the",
    "tenants of the account. Wrong e-mail and wrong password answer the same 401.",
  ].join("\n"),
  middleware: [publicAccess, refuseCrossSite, requireFormOrJsonBody] as const,
  request: {
    body: {
      required: false,
      content: {
        "application/json": { schema: LoginBody },
        "application/x-www-form-urlencoded": { schema: LoginBody },
      },
    },
  },
  responses: {
    200: json(SignedInSchema, "Signed in (JSON)"),
    303: { description: "Signed in (form post): redirect to returnTo" },
    ...problems(...JSON_BODY_ERRORS, "unauthorized", "forbidden", "rate_limited", "unavailable"),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const deps = c.get("deps");
  const form = isFormPost(c);
  const input = form ? c.req.valid("form") : c.req.valid("json");
  const ip = clientIp(c);
  await checkThrottle(deps, input.email, ip);
  const user = await findUserByEmail({ ctx: { pool: deps.pool }, input: { email: input.email } });
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
  // the same queries whether or not the e-mail has an account, so timing does not tell
  const tenants = await userTenants({ ctx: { pool: deps.pool, userId: user?.id ?? "usr_none" } });
  const named = input.tenant ? tenants.filter((t) => t.id === input.tenant) : tenants;
  if (!user || !ok) {
    await recordFailure(deps, input.email, ip);
    // recorded where the account's admins can see it: the tenant named, else every tenant of the account
    await auditSignIn(c, {
      tenantIds: named.map((t) => t.id),
      method: "password",
      outcome: "failure",
      userId: user?.id ?? null,
      email: input.email,
      reason: "invalid credentials",
      status: 401,
    });
    throw new ApiError("unauthorized", "wrong e-mail or password");
  }
  await clearAccountFailures(deps, input.email);
  const tenant = named[0];
  if (!tenant) {
    throw new ApiError(
      "forbidden",
      input.tenant ? `you are not a member of tenant ${input.tenant}` : "your account belongs to no tenant",
    );
  }
  return completeSignIn(c, {
    user: { id: user.id, email: user.email, displayName: user.displayName },
    tenant: { id: tenant.id, name: tenant.name },
    role: tenant.role,
    bound: false,
    method: "password",
    redirectTo: form ? safeReturnTo(input.returnTo) : null,
  }) as never;
};
