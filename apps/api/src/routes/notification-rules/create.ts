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
import { createRule } from "../../services/notification-rules/create.js";
import { ruleCtx } from "./common.js";
import { CreatedRuleSchema, CreateRuleBody, ruleJson } from "./schema.js";

export const route = createRoute({
  operationId: "createNotificationRule",
  method: "post",
  path: "/v1/notification-rules",
  tags: ["notifications"],
  summary: "Create a scheduled summary by email, Slack or webhook (write scope)",
  description: [
    "A rule sends, at every tick of its schedule, a summary of its period (the previous tick to this one) for",
    "its filters: posture and its change, new/reopened/resolved per severity, the top new critical and high",
    "items grouped, suppressions ending within 7 days, SLA breaches, silent clusters, links. Exactly once per",
    "rule and period. Channel URLs and secrets are write-only (answered masked). Channel URLs must be https",
    "and may not point at loopback, private or link-local addresses unless the server allows it",
    "(NOTIFY_ALLOW_PRIVATE_NETWORKS).",
  ].join(" "),
  security: bearerSecurity,
  middleware: [requireScope("write"), requireJsonBody] as const,
  request: { body: jsonBody(CreateRuleBody) },
  responses: {
    201: json(CreatedRuleSchema, "The rule (its webhook signing secret once, when generated)"),
    ...problems(...JSON_BODY_ERRORS, ...TOKEN_ERRORS),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId, tokenId } = authOf(c);
  const body = c.req.valid("json");
  const { rule, generatedSecret } = await createRule({
    ctx: ruleCtx(c, tenantId),
    input: { ...body, createdBy: tokenId },
  });
  c.header("location", `/v1/notification-rules/${rule.id}`);
  return c.json({ ...ruleJson(rule), ...(generatedSecret ? { signingSecret: generatedSecret } : {}) }, 201);
};
