import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { requireAdmin } from "../../middleware/auth.js";
import { requireJsonBody } from "../../middleware/json-body.js";
import { JSON_BODY_ERRORS, json, jsonBody, problems } from "../../openapi/common.js";
import { createTenant } from "../../services/tenants/create.js";
import { CreatedTenantSchema, CreateTenantBody } from "./schema.js";

export const route = createRoute({
  method: "post",
  operationId: "createTenant",
  path: "/admin/v1/tenants",
  tags: ["admin"],
  summary: "Create a tenant and its first API token (platform operator only)",
  description: "Authorization: Bearer <ADMIN_TOKEN from the server's environment>. The token is shown once.",
  security: [{ adminToken: [] }],
  middleware: [requireAdmin, requireJsonBody] as const,
  request: { body: jsonBody(CreateTenantBody) },
  responses: {
    201: json(CreatedTenantSchema, "Tenant created"),
    ...problems(...JSON_BODY_ERRORS, "unauthorized"),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const input = c.req.valid("json");
  const created = await createTenant({ ctx: { pool: c.get("deps").pool }, input });
  c.set("tenantId", created.tenant.id);
  return c.json(created, 201);
};
