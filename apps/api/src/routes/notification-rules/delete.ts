import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { deleteRule } from "../../services/notification-rules/delete.js";
import { RuleParams } from "./schema.js";

export const route = createRoute({
  operationId: "deleteNotificationRule",
  method: "delete",
  path: "/v1/notification-rules/{id}",
  tags: ["notifications"],
  summary: "Delete a notification rule and its delivery history (write scope)",
  security: bearerSecurity,
  middleware: [requireScope("write")] as const,
  request: { params: RuleParams },
  responses: {
    204: { description: "Deleted" },
    ...problems("validation_failed", ...TOKEN_ERRORS, "not_found"),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  await deleteRule({ ctx: { pool: c.get("deps").pool, tenantId }, input: c.req.valid("param") });
  return c.body(null, 204);
};
