import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { enqueueAfterCommit } from "../../services/notification-rules/queue.js";
import { sendNow } from "../../services/notification-rules/send.js";
import { ruleCtx } from "./common.js";
import { DeliverySchema, RuleParams } from "./schema.js";

const SendHeaders = z.object({
  "idempotency-key": z.string().min(1).max(200).optional().openapi({
    description: "A retried request with the same key answers the same delivery instead of sending again",
  }),
});

const Accepted = z
  .object({
    deliveryId: z.string(),
    status: DeliverySchema.shape.status,
    periodStart: z.string(),
    periodEnd: z.string(),
    duplicate: z.boolean().openapi({ description: "true when the Idempotency-Key named an earlier request" }),
  })
  .openapi("NotificationSendAccepted");

export const route = createRoute({
  operationId: "sendNotificationRule",
  method: "post",
  path: "/v1/notification-rules/{id}/send",
  tags: ["notifications"],
  summary: "Send the current period's summary now (write scope)",
  description:
    "Writes the summary of the period so far (the last tick to now) to the outbox and answers 202; a worker sends it. Follow it at GET …/deliveries. The scheduled summary still goes at the next tick. A disabled rule answers 409 with its reason.",
  security: bearerSecurity,
  middleware: [requireScope("write")] as const,
  request: { params: RuleParams, headers: SendHeaders },
  responses: {
    202: json(Accepted, "Accepted for sending"),
    ...problems("validation_failed", ...TOKEN_ERRORS, "not_found", "conflict"),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const { id } = c.req.valid("param");
  const r = await sendNow({
    ctx: ruleCtx(c, tenantId),
    input: { id, idempotencyKey: c.req.valid("header")["idempotency-key"] ?? null },
  });
  if (r.created) await enqueueAfterCommit(c.get("deps"), tenantId, r.id);
  c.header("location", `/v1/notification-rules/${id}/deliveries`);
  return c.json(
    {
      deliveryId: r.id,
      status: r.status as z.infer<typeof Accepted>["status"],
      periodStart: r.periodStart.toISOString(),
      periodEnd: r.periodEnd.toISOString(),
      duplicate: !r.created,
    },
    202,
  );
};
