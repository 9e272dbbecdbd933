import { withTenant } from "@bulwark/runtime";
import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { loadRule } from "../../services/notification-rules/row.js";
import { RuleParams, RuleSchema, ruleJson } from "./schema.js";

export const route = createRoute({
  operationId: "getNotificationRule",
  method: "get",
  path: "/v1/notification-rules/{id}",
  tags: ["notifications"],
  summary: "One notification rule, with its next run and why it was disabled, if it was (read scope)",
  security: bearerSecurity,
  middleware: [requireScope("read")] as const,
  request: { params: RuleParams },
  responses: {
    200: json(RuleSchema, "The rule"),
    ...problems("validation_failed", ...TOKEN_ERRORS, "not_found"),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const { id } = c.req.valid("param");
  const rule = await withTenant(c.get("deps").pool, tenantId, (db) => loadRule(db, tenantId, id));
  return c.json(ruleJson(rule), 200);
};
