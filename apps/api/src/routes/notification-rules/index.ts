import { webhookPayloadSchema } from "@bulwark/schema";
import type { Api } from "../../env.js";
import * as create from "./create.js";
import * as del from "./delete.js";
import * as deliveries from "./deliveries.js";
import * as get from "./get.js";
import * as list from "./list.js";
import * as preview from "./preview.js";
import * as send from "./send.js";
import * as update from "./update.js";
import * as schema from "./webhook-schema.js";

export function registerNotificationRules(app: Api): void {
  app.openapi(create.route, create.handler);
  app.openapi(list.route, list.handler);
  app.openapi(get.route, get.handler);
  app.openapi(update.route, update.handler);
  app.openapi(del.route, del.handler);
  app.openapi(send.route, send.handler);
  app.openapi(preview.route, preview.handler);
  app.openapi(deliveries.route, deliveries.handler);
  app.openapi(schema.route, schema.handler);
  // OpenAPI 3.1 `webhooks`: what a webhook channel receives
  app.openAPIRegistry.registerWebhook({
    method: "post",
    path: "notification",
    operationId: "receiveNotification",
    // the receiver checks the Standard Webhooks signature; nothing Bulwark authenticates
    security: [],
    tags: ["notifications"],
    summary: "A summary or alert sent to a webhook channel (Standard Webhooks signed)",
    description: schema.WEBHOOK_JSON_SCHEMA.description,
    request: { body: { content: { "application/json": { schema: webhookPayloadSchema } } } },
    responses: {
      200: {
        description: "Any 2xx acknowledges; 408, 429 and 5xx are retried; other answers fail the delivery",
      },
    },
  });
}
