import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
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
import { updateRule } from "../../services/notification-rules/update.js";
import { ruleCtx } from "./common.js";
import { CreatedRuleSchema, RuleParams, ruleJson, UpdateRuleBody } from "./schema.js";

export const route = createRoute({
  operationId: "updateNotificationRule",
  method: "patch",
  path: "/v1/notification-rules/{id}",
  tags: ["notifications"],
  summary: "Change a notification rule; re-enable one disabled after failures (write scope)",
  description:
    "Only the given fields change; `channel` and `filters` are replaced whole. A new schedule counts from now; `enabled: true` clears the disabled reason and the failure count.",
  security: bearerSecurity,
  middleware: [requireScope("write"), requireJsonBody] as const,
  request: { params: RuleParams, body: jsonBody(UpdateRuleBody) },
  responses: {
    200: json(CreatedRuleSchema, "The rule now (a generated webhook secret once)"),
    ...problems(...JSON_BODY_ERRORS, ...TOKEN_ERRORS, "not_found"),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const { id } = c.req.valid("param");
  const { rule, generatedSecret } = await updateRule({
    ctx: ruleCtx(c, tenantId),
    input: { id, patch: c.req.valid("json") },
  });
  return c.json({ ...ruleJson(rule), ...(generatedSecret ? { signingSecret: generatedSecret } : {}) }, 200);
};
