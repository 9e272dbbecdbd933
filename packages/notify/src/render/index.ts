import type { Summary } from "@bulwark/schema";
import { type RenderedEmail, renderEmail } from "./email.js";
import { renderSlack, type SlackMessage } from "./slack.js";
import { renderWebhook } from "./webhook.js";

export * from "./email.js";
export * from "./format.js";
export * from "./slack.js";
export * from "./webhook.js";

/** All three renderings (the preview route). */
export function renderAll(
  s: Summary,
  deliveryId: string,
): {
  email: RenderedEmail;
  slack: SlackMessage;
  webhook: ReturnType<typeof renderWebhook>;
} {
  return { email: renderEmail(s), slack: renderSlack(s), webhook: renderWebhook(s, deliveryId) };
}
