import type { Summary, WebhookPayload } from "@bulwark/schema";

/** The webhook document (schema: GET /schemas/notification-webhook.v1.json, and the OpenAPI `webhooks`). */
export function renderWebhook(s: Summary, deliveryId: string): WebhookPayload {
  return {
    type: s.kind === "instant" ? "bulwark.alert" : "bulwark.summary",
    deliveryId,
    timestamp: s.period.end,
    data: s,
  };
}
