import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { invitationJson } from "../../services/invitations/deliver.js";
import { listInvitations, revokeInvitation } from "../../services/invitations/list.js";
import { InvitationList, InvitationListQuery, InvitationParams } from "./schema.js";

export const listRoute = createRoute({
  operationId: "listInvitations",
  method: "get",
  path: "/v1/invitations",
  tags: ["members"],
  summary: "Invitations, newest first (admin scope); `status=all` includes used, revoked and expired ones",
  security: bearerSecurity,
  middleware: [requireScope("admin")] as const,
  request: { query: InvitationListQuery },
  responses: {
    200: json(InvitationList, "Invitations (at most 500)"),
    ...problems("validation_failed", ...TOKEN_ERRORS),
  },
});

export const listHandler: RouteHandler<typeof listRoute, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const rows = await listInvitations({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: { pending: c.req.valid("query").status === "pending" },
  });
  return c.json({ items: rows.map(invitationJson) }, 200);
};

export const revokeRoute = createRoute({
  operationId: "revokeInvitation",
  method: "delete",
  path: "/v1/invitations/{id}",
  tags: ["members"],
  summary: "Revoke an invitation (admin scope); its link stops working",
  security: bearerSecurity,
  middleware: [requireScope("admin")] as const,
  request: { params: InvitationParams },
  responses: {
    204: { description: "Revoked (also when it already was)" },
    ...problems(...TOKEN_ERRORS, "not_found", "conflict"),
  },
});

export const revokeHandler: RouteHandler<typeof revokeRoute, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  await revokeInvitation({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: { id: c.req.valid("param").id },
  });
  return c.body(null, 204);
};
