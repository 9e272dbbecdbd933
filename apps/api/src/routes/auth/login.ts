import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { passwordSignIn } from "../../auth/password-sign-in.js";
import { safeReturnTo } from "../../auth/return-to.js";
import { isFormPost } from "../../auth/sign-in.js";
import type { AppEnv } from "../../env.js";
import { publicAccess } from "../../middleware/access.js";
import { refuseCrossSite, requireFormOrJsonBody } from "../../middleware/form-or-json.js";
import { JSON_BODY_ERRORS, json, problems } from "../../openapi/common.js";
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
  const form = isFormPost(c);
  const input = form ? c.req.valid("form") : c.req.valid("json");
  return passwordSignIn(c, input, form ? safeReturnTo(input.returnTo) : null) as never;
};
