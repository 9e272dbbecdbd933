import { z } from "zod";
import { SEVERITIES } from "./severity.js";
import type { SOURCES } from "./sources.js";
import type { CATEGORY_IDS, STRATEGY_IDS } from "./taxonomy.js";

/**
 * Notification rules and the summaries they send: the shapes shared by the API (rules, preview), the worker
 * (the outbox, the channels) and tenants' receivers (the webhook payload, published as a JSON Schema).
 */
export const CHANNEL_TYPES = ["email", "slack", "webhook"] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export const DELIVERY_KINDS = ["scheduled", "manual", "instant"] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

export const DELIVERY_STATUSES = ["pending", "sending", "retrying", "sent", "failed", "skipped"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A rule's filters, as stored: cluster ids (names are resolved when the rule is written). */
export interface NotificationFilters {
  clusters?: string[];
  /** exact names or globs (`*` any run of characters, `?` one character) */
  namespaces?: string[];
  sources?: (typeof SOURCES)[number][];
  strategies?: (typeof STRATEGY_IDS)[number][];
  categories?: (typeof CATEGORY_IDS)[number][];
  minSeverity?: (typeof SEVERITIES)[number];
}

/** The part of a channel that is not secret, stored in clear and answered as is (URLs only as a hint). */
export type ChannelPublic =
  | { type: "email"; to: string[] }
  | { type: "slack"; urlHint: string }
  | { type: "webhook"; urlHint: string; hasSecret: true };

/** The secret part, stored encrypted (SECRETS_KEY, bound to the rule id) and never answered or logged. */
export type ChannelSecret = { webhookUrl: string } | { url: string; secret: string } | Record<string, never>;

const counts = z.object({
  critical: z.number().int(),
  high: z.number().int(),
  medium: z.number().int(),
  low: z.number().int(),
  info: z.number().int(),
});

const iso = z.string().describe("RFC 3339 time, UTC");

export const summarySchema = z
  .object({
    version: z.literal(1),
    kind: z.enum(DELIVERY_KINDS),
    tenant: z.object({ id: z.string(), name: z.string() }),
    rule: z.object({ id: z.string(), name: z.string() }),
    period: z.object({
      start: iso,
      end: iso,
      timezone: z.string().describe("The rule's IANA time zone, for rendering times"),
      late: z
        .boolean()
        .describe("Sent well after its tick because the service was down; covers every missed period"),
    }),
    generatedAt: iso,
    filters: z.object({
      clusters: z.array(z.object({ id: z.string(), name: z.string() })),
      namespaces: z.array(z.string()),
      sources: z.array(z.string()),
      strategies: z.array(z.string()),
      categories: z.array(z.string()),
      minSeverity: z.enum(SEVERITIES).nullable(),
    }),
    /** instant alerts: the snapshot that brought the new findings */
    report: z
      .object({ id: z.string(), cluster: z.object({ id: z.string(), name: z.string() }), source: z.string() })
      .nullable(),
    unchanged: z.boolean().describe("No finding of the rule's scope changed status in the period"),
    posture: z
      .object({
        score: z.number().int(),
        previousScore: z.number().int().nullable(),
        change: z.number().int().nullable(),
        strategies: z
          .array(
            z.object({
              id: z.string(),
              name: z.string(),
              score: z.number().int(),
              previousScore: z.number().int(),
              change: z.number().int(),
            }),
          )
          .describe("Strategies whose score moved in the period"),
      })
      .nullable()
      .describe(
        "The posture of the rule's clusters at the period's end and its start (null for instant alerts)",
      ),
    changes: z.object({ new: counts, reopened: counts, resolved: counts }),
    topNew: z.object({
      items: z.array(
        z.object({
          ruleId: z.string(),
          title: z.string(),
          severity: z.enum(SEVERITIES),
          source: z.string(),
          image: z.string().nullable(),
          findings: z.number().int(),
          workloads: z.number().int(),
          namespaces: z.number().int(),
          clusters: z.number().int(),
          link: z.string(),
        }),
      ),
      more: z.number().int().describe("Further groups not listed"),
    }),
    expiringSuppressions: z.object({
      findings: z.number().int().describe("Findings in scope whose suppression ends within 7 days"),
      items: z.array(z.object({ id: z.string(), reason: z.string(), expiresAt: iso, selector: z.string() })),
      more: z.number().int(),
    }),
    sla: z.object({
      breaches: z.object({
        critical: z.number().int(),
        high: z.number().int(),
        medium: z.number().int(),
        low: z.number().int(),
      }),
      items: z.array(
        z.object({
          id: z.string(),
          title: z.string(),
          severity: z.enum(SEVERITIES),
          cluster: z.string(),
          resource: z.string().nullable(),
          overdueDays: z.number().int(),
          link: z.string(),
        }),
      ),
      more: z.number().int(),
    }),
    silentClusters: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        lastReportAt: iso.nullable(),
        silentHours: z.number().int().nullable(),
      }),
    ),
    links: z.object({
      changes: z.string(),
      findings: z.string(),
      sla: z.string(),
      posture: z.string(),
      rule: z.string(),
    }),
  })
  .strict();
export type Summary = z.infer<typeof summarySchema>;

/**
 * What a webhook channel receives (Standard Webhooks style): `webhook-id` (the delivery id, the same on every
 * retry: drop duplicates by it), `webhook-timestamp` and `webhook-signature` headers over this body.
 */
export const webhookPayloadSchema = z
  .object({
    type: z.enum(["bulwark.summary", "bulwark.alert"]),
    deliveryId: z.string(),
    timestamp: iso.describe("When the delivery was decided (the period's end, or the snapshot's time)"),
    data: summarySchema,
  })
  .strict();
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

export const notifyTickPayload = z
  .object({ tenantId: z.string().min(1), ruleId: z.string().min(1), late: z.boolean().optional() })
  .strict();
export type NotifyTickPayload = z.infer<typeof notifyTickPayload>;

export const notifyDeliverPayload = z
  .object({ tenantId: z.string().min(1), deliveryId: z.string().min(1) })
  .strict();
export type NotifyDeliverPayload = z.infer<typeof notifyDeliverPayload>;
