import { sha256Hex } from "@bulwark/runtime";
import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { readSessionCookie } from "../../auth/cookies.js";
import { hashPassword, passwordProblems } from "../../auth/passwords.js";
import { safeReturnTo } from "../../auth/return-to.js";
import { completeSignIn, isFormPost } from "../../auth/sign-in.js";
import type { AppEnv } from "../../env.js";
import { publicAccess } from "../../middleware/access.js";
import { refuseCrossSite, requireFormOrJsonBody } from "../../middleware/form-or-json.js";
import { JSON_BODY_ERRORS, json, problems } from "../../openapi/common.js";
import { lookupSession } from "../../services/auth/lookup-session.js";
import { acceptInvitation, previewInvitation } from "../../services/invitations/accept.js";
import { validationError } from "../../validation.js";
import { invitationPage } from "./pages.js";
import { AcceptInvitationBody, SignedInSchema, TokenQuery } from "./schema.js";

export const pageRoute = createRoute({
  operationId: "showInvitation",
  security: [],
  method: "get",
  path: "/v1/auth/invitations/accept",
  tags: ["auth"],
  summary:
    "An invitation link's page: who invites you, as what, and a form to accept (the GET uses nothing up)",
  middleware: [publicAccess] as const,
  request: { query: TokenQuery },
  responses: {
    200: { description: "HTML page", content: { "text/html": { schema: { type: "string" } } } },
    ...problems("validation_failed", "not_found"),
  },
});

export const pageHandler: RouteHandler<typeof pageRoute, AppEnv> = async (c) => {
  const { token } = c.req.valid("query");
  const preview = await previewInvitation({ ctx: { pool: c.get("deps").pool }, input: { token } });
  c.header("cache-control", "no-store");
  c.header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
  return c.html(invitationPage(token, preview)) as never;
};

export const acceptRoute = createRoute({
  operationId: "acceptInvitation",
  security: [],
  method: "post",
  path: "/v1/auth/invitations/accept",
  tags: ["auth"],
  summary: "Accept an invitation: joins the tenant with the invited role and signs in",
  description: [
    "A new e-mail gets an account with the password given (length and breached-password policy: 400 naming",
    "`body.password`). For an existing account the password given replaces its password and ends its other",
    "sessions (holding the link proves the mailbox); no password is needed when already signed in as that user.",
  ].join("\n"),
  middleware: [publicAccess, refuseCrossSite, requireFormOrJsonBody] as const,
  request: {
    body: {
      required: false,
      content: {
        "application/json": { schema: AcceptInvitationBody },
        "application/x-www-form-urlencoded": { schema: AcceptInvitationBody },
      },
    },
  },
  responses: {
    200: json(SignedInSchema, "Joined and signed in (JSON)"),
    303: { description: "Joined and signed in (form post): redirect to returnTo" },
    ...problems(...JSON_BODY_ERRORS, "not_found"),
  },
});

export const acceptHandler: RouteHandler<typeof acceptRoute, AppEnv> = async (c) => {
  const { pool } = c.get("deps");
  const form = isFormPost(c);
  const input = form ? c.req.valid("form") : c.req.valid("json");
  const preview = await previewInvitation({ ctx: { pool }, input: { token: input.token } });
  const cookie = readSessionCookie(c);
  const session = cookie ? await lookupSession({ ctx: { pool }, input: { hash: sha256Hex(cookie) } }) : null;
  const live = session && session.expiresAt.getTime() > Date.now() ? session : null;
  let passwordHash: string | null = null;
  if (input.password) {
    const bad = passwordProblems(input.password, preview.email);
    if (bad.length > 0) throw validationError(bad);
    passwordHash = await hashPassword(input.password);
  }
  const accepted = await acceptInvitation({
    ctx: { pool },
    input: {
      token: input.token,
      passwordHash,
      displayName: input.displayName ?? null,
      signedInUserId: live?.userId ?? null,
    },
  });
  return completeSignIn(c, {
    ...accepted,
    bound: false,
    method: "invitation",
    redirectTo: form ? safeReturnTo(input.returnTo) : null,
  }) as never;
};
