import { webhookPayloadSchema } from "@bulwark/schema";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, EXPENSIVE_ERRORS, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { previewRule } from "../../services/notification-rules/preview.js";
import { ruleCtx } from "./common.js";
import { RuleParams } from "./schema.js";

const Preview = z
  .object({
    period: z.object({ start: z.string(), end: z.string() }),
    email: z.object({ subject: z.string(), text: z.string(), html: z.string() }),
    slack: z.object({
      text: z.string().openapi({ description: "The notification text Slack shows where blocks cannot be" }),
      blocks: z.array(z.record(z.string(), z.unknown())).openapi({ description: "Block Kit blocks (≤ 50)" }),
    }),
    webhook: webhookPayloadSchema,
  })
  .openapi("NotificationPreview");

export const route = createRoute({
  operationId: "previewNotificationRule",
  method: "get",
  path: "/v1/notification-rules/{id}/preview",
  tags: ["notifications"],
  summary: "The summary the rule would send if its period ended now, three ways (read scope)",
  description:
    "Email (subject, plain text, HTML), Slack (Block Kit, within its limits) and the webhook document, for the period from the last tick to now. Nothing is written or sent.",
  security: bearerSecurity,
  middleware: [requireScope("read"), expensive()] as const,
  request: { params: RuleParams },
  responses: {
    200: json(Preview, "The renderings"),
    ...problems("validation_failed", ...TOKEN_ERRORS, "not_found", ...EXPENSIVE_ERRORS),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const p = await previewRule({ ctx: ruleCtx(c, tenantId), input: c.req.valid("param") });
  return c.json(
    {
      period: { start: p.period.start.toISOString(), end: p.period.end.toISOString() },
      email: p.email,
      slack: { text: p.slack.text, blocks: p.slack.blocks as unknown as Record<string, unknown>[] },
      webhook: p.webhook,
    },
    200,
  );
};
