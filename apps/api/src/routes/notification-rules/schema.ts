import { maskedChannel, nextTick, scheduleProblem } from "@bulwark/notify";
import {
  CATEGORY_IDS,
  DELIVERY_KINDS,
  DELIVERY_STATUSES,
  SEVERITIES,
  SOURCES,
  STRATEGY_IDS,
} from "@bulwark/schema";
import { z } from "@hono/zod-openapi";
import { IdParam } from "../../openapi/common.js";
import type { DeliveryListRow } from "../../services/notification-rules/deliveries.js";
import type { RuleRow } from "../../services/notification-rules/row.js";

const Schedule = z
  .object({
    cron: z.string().min(9).max(100).openapi({ example: "0 8 * * MON-FRI" }),
    timezone: z.string().min(1).max(64).openapi({ example: "Asia/Tokyo" }),
  })
  .strict()
  .superRefine((s, ctx) => {
    const p = scheduleProblem(s);
    if (p) ctx.addIssue({ code: "custom", path: [p.field], message: p.message });
  })
  .openapi("NotificationSchedule", {
    description:
      "Five-field cron (minute hour day-of-month month day-of-week) in an IANA time zone, at least 5 minutes between ticks. Daylight saving: a time that does not exist that day fires once at the shifted time, one that exists twice fires once.",
  });

const url = z.url({ protocol: /^https?$/ }).max(2000);

export const ChannelBody = z
  .discriminatedUnion("type", [
    z
      .object({
        type: z.literal("email"),
        to: z
          .array(z.email().max(254))
          .min(1)
          .max(50)
          .openapi({ example: ["secops@example.com"] }),
      })
      .strict(),
    z
      .object({
        type: z.literal("slack"),
        webhookUrl: url.openapi({ description: "A Slack incoming-webhook URL (write-only)" }),
      })
      .strict(),
    z
      .object({
        type: z.literal("webhook"),
        url: url.openapi({ description: "Receives the signed JSON document (write-only)" }),
        secret: z.string().min(16).max(200).optional().openapi({
          description:
            "Signing secret (write-only): `whsec_` + base64 (Standard Webhooks), or any string used as UTF-8 bytes. Generated and returned once as `signingSecret` when absent.",
        }),
      })
      .strict(),
  ])
  .openapi("NotificationChannelInput");

const namespaceGlob = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9*?]([-a-z0-9.*?]*[a-z0-9*?])?$/, "a namespace name or glob (`*`, `?`)");

export const FiltersBody = z
  .object({
    clusters: z
      .array(z.string().min(1).max(100))
      .max(100)
      .optional()
      .openapi({ description: "Cluster ids or names (stored as ids)" }),
    namespaces: z
      .array(namespaceGlob)
      .max(100)
      .optional()
      .openapi({ example: ["payments-*"] }),
    sources: z.array(z.enum(SOURCES)).max(SOURCES.length).optional(),
    strategies: z.array(z.enum(STRATEGY_IDS)).max(100).optional(),
    categories: z.array(z.enum(CATEGORY_IDS)).max(10).optional(),
    minSeverity: z.enum(SEVERITIES).optional(),
  })
  .strict()
  .openapi("NotificationFilters", {
    description: "Every filter is optional; each list matches any of its values",
  });

const Instant = z
  .object({ minSeverity: z.enum(SEVERITIES) })
  .strict()
  .nullable()
  .openapi({
    description:
      "Also alert right after a snapshot brings new or reopened findings at or above this severity: one message per report, never one per finding. null turns it off.",
  });

export const CreateRuleBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    schedule: Schedule,
    channel: ChannelBody,
    filters: FiltersBody.default({}),
    skipUnchanged: z
      .boolean()
      .default(false)
      .openapi({ description: "Send nothing for a period in which nothing changed" }),
    enabled: z.boolean().default(true),
    instant: Instant.default(null),
  })
  .strict()
  .openapi("CreateNotificationRule");

export const UpdateRuleBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    schedule: Schedule.optional(),
    channel: ChannelBody.optional().openapi({
      description: "Replaces the channel whole (URLs and secrets again)",
    }),
    filters: FiltersBody.optional().openapi({ description: "Replaces the filters whole" }),
    skipUnchanged: z.boolean().optional(),
    enabled: z
      .boolean()
      .optional()
      .openapi({ description: "true re-enables a rule disabled after failures" }),
    instant: Instant.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, "nothing to change")
  .openapi("UpdateNotificationRule");

export const RuleSchema = z
  .object({
    id: z.string().openapi({ example: "nrl_0123456789abcdefghjk" }),
    name: z.string(),
    schedule: z.object({ cron: z.string(), timezone: z.string() }),
    channel: z.union([
      z.object({ type: z.literal("email"), to: z.array(z.string()) }),
      z.object({
        type: z.literal("slack"),
        webhookUrl: z.string().openapi({ example: "https://hooks.slack.com/****" }),
      }),
      z.object({ type: z.literal("webhook"), url: z.string(), secret: z.literal("****") }),
    ]),
    filters: z.object({
      clusters: z.array(z.string()).optional(),
      namespaces: z.array(z.string()).optional(),
      sources: z.array(z.string()).optional(),
      strategies: z.array(z.string()).optional(),
      categories: z.array(z.string()).optional(),
      minSeverity: z.enum(SEVERITIES).optional(),
    }),
    skipUnchanged: z.boolean(),
    enabled: z.boolean(),
    instant: z.object({ minSeverity: z.enum(SEVERITIES) }).nullable(),
    disabledReason: z
      .string()
      .nullable()
      .openapi({ description: "Why the rule was disabled after failing deliveries" }),
    disabledAt: z.string().nullable(),
    nextRunAt: z.string().nullable().openapi({ description: "The next tick (UTC), null while disabled" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("NotificationRule");

export const CreatedRuleSchema = RuleSchema.extend({
  signingSecret: z
    .string()
    .optional()
    .openapi({ description: "The webhook signing secret generated for you; shown once" }),
}).openapi("CreatedNotificationRule");

export const RuleList = z
  .object({ items: z.array(RuleSchema), nextCursor: z.string().nullable() })
  .openapi("NotificationRuleList");

export const RuleParams = z.object({ id: IdParam("id", "nrl_0123456789abcdefghjk") });

export const PageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(1000).optional().openapi({ description: "nextCursor of the previous page" }),
  })
  .strict();

export const DeliveriesQuery = PageQuery.extend({ status: z.enum(DELIVERY_STATUSES).optional() }).strict();

export const DeliverySchema = z
  .object({
    id: z.string().openapi({ example: "dlv_0123456789abcdefghjk" }),
    kind: z.enum(DELIVERY_KINDS),
    periodStart: z.string(),
    periodEnd: z.string(),
    reportId: z.string().nullable().openapi({ description: "The snapshot behind an instant alert" }),
    status: z.enum(DELIVERY_STATUSES).openapi({
      description:
        "pending, sending, retrying (waiting for its next attempt), sent, failed (gave up), skipped (nothing changed)",
    }),
    late: z.boolean().openapi({
      description: "Sent well after its tick (the service was down); covers every period missed",
    }),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    responseCode: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "HTTP status or SMTP reply code of the last attempt" }),
    nextAttemptAt: z.string().nullable(),
    sentAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("NotificationDelivery");

export const DeliveryList = z
  .object({ items: z.array(DeliverySchema), nextCursor: z.string().nullable() })
  .openapi("NotificationDeliveryList");

export function ruleJson(r: RuleRow, now = new Date()): z.infer<typeof RuleSchema> {
  let next: string | null = null;
  if (r.enabled) {
    try {
      next = nextTick({ cron: r.cron, timezone: r.timezone }, now).toISOString();
    } catch {
      next = null;
    }
  }
  return {
    id: r.id,
    name: r.name,
    schedule: { cron: r.cron, timezone: r.timezone },
    channel: maskedChannel(r.channel) as z.infer<typeof RuleSchema>["channel"],
    filters: r.filters,
    skipUnchanged: r.skipUnchanged,
    enabled: r.enabled,
    instant: r.instantMinSeverity
      ? { minSeverity: r.instantMinSeverity as (typeof SEVERITIES)[number] }
      : null,
    disabledReason: r.disabledReason,
    disabledAt: r.disabledAt?.toISOString() ?? null,
    nextRunAt: next,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export function deliveryJson(d: DeliveryListRow): z.infer<typeof DeliverySchema> {
  const open = ["pending", "retrying"].includes(d.status);
  return {
    id: d.id,
    kind: d.kind as z.infer<typeof DeliverySchema>["kind"],
    periodStart: d.periodStart.toISOString(),
    periodEnd: d.periodEnd.toISOString(),
    reportId: d.reportId,
    status: d.status as z.infer<typeof DeliverySchema>["status"],
    late: d.late,
    attempts: d.attempts,
    lastError: d.lastError,
    responseCode: d.responseCode,
    nextAttemptAt: open ? d.nextAttemptAt.toISOString() : null,
    sentAt: d.sentAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  };
}
