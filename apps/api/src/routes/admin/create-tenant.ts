import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { publicOrigin } from "../../auth/cookies.js";
import type { AppEnv } from "../../env.js";
import { requireAdmin } from "../../middleware/auth.js";
import { requireJsonBody } from "../../middleware/json-body.js";
import { JSON_BODY_ERRORS, json, jsonBody, operatorSecurity, problems } from "../../openapi/common.js";
import { inviteAndDeliver } from "../../services/invitations/deliver.js";
import { createTenant } from "../../services/tenants/create.js";
import { CreatedTenantSchema, CreateTenantBody } from "./schema.js";

export const route = createRoute({
  method: "post",
  operationId: "createTenant",
  path: "/admin/v1/tenants",
  tags: ["admin"],
  summary: "Create a tenant and its first API token (platform operator only)",
  description: "Authorization: Bearer <ADMIN_TOKEN from the server's environment>. The token is shown once.",
  security: operatorSecurity,
  middleware: [requireAdmin, requireJsonBody] as const,
  request: { body: jsonBody(CreateTenantBody) },
  responses: {
    201: json(CreatedTenantSchema, "Tenant created"),
    ...problems(...JSON_BODY_ERRORS, "unauthorized", "unavailable"),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const input = c.req.valid("json");
  const { pool, config, mailer, logger } = c.get("deps");
  const created = await createTenant({ ctx: { pool }, input: { name: input.name } });
  c.set("tenantId", created.tenant.id);
  if (!input.ownerEmail) return c.json(created, 201);
  const invited = await inviteAndDeliver({
    ctx: {
      pool,
      tenantId: created.tenant.id,
      ttlHours: config.INVITATION_TTL_HOURS,
      mailer: mailer ?? null,
      logger,
    },
    input: { email: input.ownerEmail, role: "owner", invitedBy: "operator", origin: publicOrigin(c) },
  });
  const ownerInvitation = {
    id: invited.invitation.id,
    email: invited.invitation.email,
    delivery: invited.delivery,
    ...(invited.acceptUrl ? { acceptUrl: invited.acceptUrl } : {}),
  };
  return c.json({ ...created, ownerInvitation }, 201);
};
