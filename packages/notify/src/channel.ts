import { randomBytes } from "node:crypto";
import { decryptSecret, encryptSecret } from "@bulwark/runtime";
import type { ChannelPublic, ChannelSecret } from "@bulwark/schema";

/** A channel as the API takes it (contract §2.5). */
export type ChannelInput =
  | { type: "email"; to: string[] }
  | { type: "slack"; webhookUrl: string }
  | { type: "webhook"; url: string; secret?: string | undefined };

/** A channel with its secrets, as the worker sends through it. */
export type Channel =
  | { type: "email"; to: string[] }
  | { type: "slack"; webhookUrl: string }
  | { type: "webhook"; url: string; secret: string };

/** Standard Webhooks secrets: `whsec_` + base64 of 32 random bytes (the bytes are the HMAC key). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** Where a URL points, without its path and query (which, for Slack, are the credential). */
export function urlHint(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}/****`;
}

const aad = (ruleId: string) => `notification-rule:${ruleId}`;

/**
 * Split a channel into what is stored in clear and the encrypted rest (bound to the rule id, so one rule's
 * secret pasted into another row does not decrypt). `generatedSecret` is a webhook secret made here because
 * none was given: shown once in the response that created it.
 */
export function sealChannel(
  key: Buffer,
  ruleId: string,
  input: ChannelInput,
): {
  channelType: ChannelInput["type"];
  channel: ChannelPublic;
  channelSecret: string | null;
  generatedSecret?: string;
} {
  switch (input.type) {
    case "email":
      return { channelType: "email", channel: { type: "email", to: input.to }, channelSecret: null };
    case "slack":
      return {
        channelType: "slack",
        channel: { type: "slack", urlHint: urlHint(input.webhookUrl) },
        channelSecret: encryptSecret(key, JSON.stringify({ webhookUrl: input.webhookUrl }), aad(ruleId)),
      };
    case "webhook": {
      const secret = input.secret ?? newWebhookSecret();
      return {
        channelType: "webhook",
        channel: { type: "webhook", urlHint: urlHint(input.url), hasSecret: true },
        channelSecret: encryptSecret(key, JSON.stringify({ url: input.url, secret }), aad(ruleId)),
        ...(input.secret ? {} : { generatedSecret: secret }),
      };
    }
  }
}

/** The channel with its secrets decrypted, for sending. */
export function openChannel(key: Buffer, ruleId: string, pub: ChannelPublic, sealed: string | null): Channel {
  if (pub.type === "email") return { type: "email", to: pub.to };
  if (!sealed) throw new Error(`rule ${ruleId} has no stored channel secret`);
  const secret = JSON.parse(decryptSecret(key, sealed, aad(ruleId))) as ChannelSecret;
  if (pub.type === "slack" && "webhookUrl" in secret) return { type: "slack", webhookUrl: secret.webhookUrl };
  if (pub.type === "webhook" && "url" in secret)
    return { type: "webhook", url: secret.url, secret: secret.secret };
  throw new Error(`rule ${ruleId}: stored channel secret does not match its type`);
}

/** The channel as answered: URLs and secrets masked (write-only). */
export function maskedChannel(
  pub: ChannelPublic,
):
  | { type: "email"; to: string[] }
  | { type: "slack"; webhookUrl: string }
  | { type: "webhook"; url: string; secret: string } {
  switch (pub.type) {
    case "email":
      return { type: "email", to: pub.to };
    case "slack":
      return { type: "slack", webhookUrl: pub.urlHint };
    case "webhook":
      return { type: "webhook", url: pub.urlHint, secret: "****" };
  }
}
