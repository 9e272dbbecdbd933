import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { clearSessionCookies } from "../../auth/cookies.js";
import type { AppEnv } from "../../env.js";
import { authOf, requireRole } from "../../middleware/auth.js";
import { json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { deleteTenant } from "../../services/tenants/delete.js";
import { validationError } from "../../validation.js";
import { DeletedTenantSchema } from "../admin/schema.js";

export const route = createRoute({
  operationId: "deleteOwnTenant",
  security: [{ sessionCookie: [] }],
  method: "delete",
  path: "/v1/tenant",
  tags: ["members"],
  summary: "Delete this tenant and all its data (signed-in owner only; irreversible)",
  description:
    "`confirm` must repeat the tenant's id. Every row of the tenant in every table goes in one transaction, its audit log included; API tokens cannot do this.",
  middleware: [requireRole("owner")] as const,
  request: {
    query: z.object({
      confirm: z
        .string()
        .max(100)
        .openapi({ param: { name: "confirm", in: "query" }, description: "The tenant's id, again" }),
    }),
  },
  responses: { 200: json(DeletedTenantSchema, "Deleted"), ...problems("validation_failed", ...TOKEN_ERRORS) },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const auth = authOf(c);
  if (c.req.valid("query").confirm !== auth.tenantId) {
    throw validationError([{ location: "query.confirm", message: "must be this tenant's id" }]);
  }
  const { pool, logger } = c.get("deps");
  const out = await deleteTenant({ ctx: { pool }, input: { tenantId: auth.tenantId } });
  logger.warn(
    { tenantId: auth.tenantId, userId: auth.userId, rows: out.rows },
    "tenant deleted by its owner",
  );
  clearSessionCookies(c);
  return c.json({ id: auth.tenantId, ...out }, 200);
};
