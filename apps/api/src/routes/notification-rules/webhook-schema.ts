import { webhookPayloadSchema } from "@bulwark/schema";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { json, problems } from "../../openapi/common.js";

/** The webhook document's JSON Schema, generated from the zod schema the worker's payload is typed by. */
export const WEBHOOK_JSON_SCHEMA = {
  $id: "https://bulwark.dev/schemas/notification-webhook.v1.json",
  title: "Bulwark notification webhook",
  description:
    "The body POSTed to a webhook channel. Headers (Standard Webhooks): webhook-id (the delivery id, the same on every retry: drop duplicates by it), webhook-timestamp (Unix seconds), webhook-signature (v1,<base64 HMAC-SHA256 of <id>.<timestamp>.<body>>, keyed by the base64 part of the whsec_ secret).",
  ...z.toJSONSchema(webhookPayloadSchema, { target: "draft-2020-12" }),
};

export const route = createRoute({
  method: "get",
  operationId: "getNotificationWebhookSchema",
  security: [],
  path: "/schemas/notification-webhook.v1.json",
  tags: ["notifications"],
  summary: "The JSON Schema of webhook notifications (no authentication)",
  responses: {
    200: json(z.record(z.string(), z.unknown()), "JSON Schema (draft 2020-12)"),
    ...problems(),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = (c) => c.json(WEBHOOK_JSON_SCHEMA, 200);
