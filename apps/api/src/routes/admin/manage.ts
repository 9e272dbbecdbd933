import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { publicOrigin } from "../../auth/cookies.js";
import type { AppEnv } from "../../env.js";
import { requireAdmin } from "../../middleware/auth.js";
import { requireJsonBody } from "../../middleware/json-body.js";
import { JSON_BODY_ERRORS, json, jsonBody, operatorSecurity, problems } from "../../openapi/common.js";
import { invitationJson, inviteAndDeliver } from "../../services/invitations/deliver.js";
import { deleteTenant } from "../../services/tenants/delete.js";
import { setSuspension } from "../../services/tenants/suspend.js";
import { CreatedInvitation, CreateInvitationBody } from "../invitations/schema.js";
import { DeletedTenantSchema, SuspendBody, TenantParams } from "./schema.js";

export const suspendRoute = createRoute({
  operationId: "suspendTenant",
  method: "post",
  path: "/admin/v1/tenants/{id}/suspend",
  tags: ["admin"],
  summary:
    "Suspend a tenant: its uploads answer 403 with the reason; nothing is deleted (platform operator only)",
  description:
    "The tenant API stays readable so the tenant keeps access to its data. Idempotent (the reason is updated).",
  security: operatorSecurity,
  middleware: [requireAdmin, requireJsonBody] as const,
  request: { params: TenantParams, body: jsonBody(SuspendBody) },
  responses: {
    204: { description: "Suspended" },
    ...problems(...JSON_BODY_ERRORS, "unauthorized", "not_found"),
  },
});

export const suspendHandler: RouteHandler<typeof suspendRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  c.set("tenantId", id);
  await setSuspension({
    ctx: { pool: c.get("deps").pool },
    input: { tenantId: id, suspend: true, reason: c.req.valid("json").reason },
  });
  return c.body(null, 204);
};

export const resumeRoute = createRoute({
  operationId: "resumeTenant",
  method: "post",
  path: "/admin/v1/tenants/{id}/resume",
  tags: ["admin"],
  summary: "Resume a suspended tenant: uploads are accepted again (platform operator only)",
  security: operatorSecurity,
  middleware: [requireAdmin] as const,
  request: { params: TenantParams },
  responses: {
    204: { description: "Resumed (also when it was not suspended)" },
    ...problems("unauthorized", "not_found"),
  },
});

export const resumeHandler: RouteHandler<typeof resumeRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  c.set("tenantId", id);
  await setSuspension({ ctx: { pool: c.get("deps").pool }, input: { tenantId: id, suspend: false } });
  return c.body(null, 204);
};

export const deleteRoute = createRoute({
  operationId: "deleteTenant",
  method: "delete",
  path: "/admin/v1/tenants/{id}",
  tags: ["admin"],
  summary: "Delete a tenant and every row of it in every table, in one transaction (platform operator only)",
  description:
    "Irreversible. Tables are found in the database catalog (every table with a tenant_id column); anything left over aborts the deletion. Former members who belong to no other tenant are deleted too.",
  security: operatorSecurity,
  middleware: [requireAdmin] as const,
  request: { params: TenantParams },
  responses: { 200: json(DeletedTenantSchema, "Deleted"), ...problems("unauthorized", "not_found") },
});

export const deleteHandler: RouteHandler<typeof deleteRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { pool, logger } = c.get("deps");
  const out = await deleteTenant({ ctx: { pool }, input: { tenantId: id } });
  // the tenant's audit log went with it; the operator's action stays in the service log
  logger.warn(
    { tenantId: id, requestId: c.get("requestId"), rows: out.rows },
    "tenant deleted by the operator",
  );
  return c.json({ id, ...out }, 200);
};

export const inviteRoute = createRoute({
  operationId: "inviteToTenant",
  method: "post",
  path: "/admin/v1/tenants/{id}/invitations",
  tags: ["admin"],
  summary: "Invite someone to a tenant with any role, owners included (platform operator only)",
  security: operatorSecurity,
  middleware: [requireAdmin, requireJsonBody] as const,
  request: { params: TenantParams, body: jsonBody(CreateInvitationBody) },
  responses: {
    201: json(CreatedInvitation, "Invited"),
    ...problems(...JSON_BODY_ERRORS, "unauthorized", "not_found", "conflict", "unavailable"),
  },
});

export const inviteHandler: RouteHandler<typeof inviteRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  c.set("tenantId", id);
  const { pool, config, logger, mailer } = c.get("deps");
  const input = c.req.valid("json");
  const out = await inviteAndDeliver({
    ctx: { pool, tenantId: id, ttlHours: config.INVITATION_TTL_HOURS, mailer: mailer ?? null, logger },
    input: { email: input.email, role: input.role, invitedBy: "operator", origin: publicOrigin(c) },
  });
  return c.json({ ...out, invitation: invitationJson(out.invitation) }, 201);
};
