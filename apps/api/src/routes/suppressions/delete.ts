import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { deleteSuppression } from "../../services/suppressions/delete.js";
import { SuppressionParams } from "./schema.js";

export const route = createRoute({
  method: "delete",
  operationId: "deleteSuppression",
  path: "/v1/suppressions/{id}",
  tags: ["suppressions"],
  summary: "Delete a suppression (write scope)",
  security: bearerSecurity,
  middleware: [requireScope("write")] as const,
  request: { params: SuppressionParams },
  responses: { 204: { description: "Deleted" }, ...problems(...TOKEN_ERRORS, "not_found") },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  await deleteSuppression({ ctx: { pool: c.get("deps").pool, tenantId }, input: c.req.valid("param") });
  return c.body(null, 204);
};
