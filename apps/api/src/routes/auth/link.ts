import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { safeReturnTo } from "../../auth/return-to.js";
import { completeSignIn, isFormPost } from "../../auth/sign-in.js";
import type { AppEnv } from "../../env.js";
import { publicAccess } from "../../middleware/access.js";
import { refuseCrossSite, requireFormOrJsonBody } from "../../middleware/form-or-json.js";
import { JSON_BODY_ERRORS, json, problems } from "../../openapi/common.js";
import { consumeSignInLink } from "../../services/sign-in-links/consume.js";
import { signInLinkPage } from "./pages.js";
import { SignedInSchema, TokenForm, TokenQuery } from "./schema.js";

export const pageRoute = createRoute({
  operationId: "showSignInLink",
  security: [],
  method: "get",
  path: "/v1/auth/link",
  tags: ["auth"],
  summary: "A one-time sign-in link's page: a button that signs in (the GET uses nothing up)",
  middleware: [publicAccess] as const,
  request: { query: TokenQuery.extend({ returnTo: TokenForm.shape.returnTo }) },
  responses: {
    200: { description: "HTML page", content: { "text/html": { schema: { type: "string" } } } },
    ...problems("validation_failed"),
  },
});

export const pageHandler: RouteHandler<typeof pageRoute, AppEnv> = (c) => {
  const q = c.req.valid("query");
  c.header("cache-control", "no-store");
  c.header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
  return c.html(signInLinkPage(q.token, q.returnTo)) as never;
};

export const consumeRoute = createRoute({
  operationId: "useSignInLink",
  security: [],
  method: "post",
  path: "/v1/auth/link",
  tags: ["auth"],
  summary: "Sign in with a one-time link (single use; the session is bound to the link's tenant)",
  middleware: [publicAccess, refuseCrossSite, requireFormOrJsonBody] as const,
  request: {
    body: {
      required: false,
      content: {
        "application/json": { schema: TokenForm },
        "application/x-www-form-urlencoded": { schema: TokenForm },
      },
    },
  },
  responses: {
    200: json(SignedInSchema, "Signed in (JSON)"),
    303: { description: "Signed in (form post): redirect to returnTo" },
    ...problems(...JSON_BODY_ERRORS, "forbidden", "not_found"),
  },
});

export const consumeHandler: RouteHandler<typeof consumeRoute, AppEnv> = async (c) => {
  const form = isFormPost(c);
  const input = form ? c.req.valid("form") : c.req.valid("json");
  const signedIn = await consumeSignInLink({
    ctx: { pool: c.get("deps").pool },
    input: { token: input.token },
  });
  return completeSignIn(c, {
    ...signedIn,
    bound: true,
    method: "link",
    redirectTo: form ? safeReturnTo(input.returnTo) : null,
  }) as never;
};
