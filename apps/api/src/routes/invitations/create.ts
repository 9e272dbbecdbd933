import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { publicOrigin } from "../../auth/cookies.js";
import type { AppEnv } from "../../env.js";
import { ApiError } from "../../errors.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { requireJsonBody } from "../../middleware/json-body.js";
import {
  bearerSecurity,
  JSON_BODY_ERRORS,
  json,
  jsonBody,
  problems,
  TOKEN_ERRORS,
} from "../../openapi/common.js";
import { invitationJson, inviteAndDeliver } from "../../services/invitations/deliver.js";
import { CreatedInvitation, CreateInvitationBody } from "./schema.js";

export const route = createRoute({
  operationId: "createInvitation",
  method: "post",
  path: "/v1/invitations",
  tags: ["members"],
  summary: "Invite someone by e-mail with a role (admin scope); a single-use link that expires",
  description: [
    "Sent by e-mail when the server has SMTP configured (`delivery: email`); otherwise the answer carries the",
    "`acceptUrl` for you to pass on (`delivery: link`). Only a signed-in owner may invite an owner. An existing",
    "member is 409; a pending invitation for the same e-mail is replaced. The link is valid INVITATION_TTL_HOURS.",
  ].join("\n"),
  security: bearerSecurity,
  middleware: [requireScope("admin"), requireJsonBody] as const,
  request: { body: jsonBody(CreateInvitationBody) },
  responses: {
    201: json(CreatedInvitation, "Invited"),
    ...problems(...JSON_BODY_ERRORS, ...TOKEN_ERRORS, "conflict", "unavailable"),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const auth = authOf(c);
  const input = c.req.valid("json");
  if (input.role === "owner" && auth.role !== "owner") {
    throw new ApiError("forbidden", "only an owner may invite an owner");
  }
  const { pool, config, logger, mailer } = c.get("deps");
  const out = await inviteAndDeliver({
    ctx: {
      pool,
      tenantId: auth.tenantId,
      ttlHours: config.INVITATION_TTL_HOURS,
      mailer: mailer ?? null,
      logger,
    },
    input: { email: input.email, role: input.role, invitedBy: auth.actorId, origin: publicOrigin(c) },
  });
  return c.json({ ...out, invitation: invitationJson(out.invitation) }, 201);
};
