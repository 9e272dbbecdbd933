import { z } from "@hono/zod-openapi";
import { FindingSchema } from "../findings/schema.js";

const days = z.number().int().min(1).max(3650);

export const SlaDaysSchema = z
  .object({ critical: days, high: days, medium: days, low: days })
  .strict()
  .openapi("SlaDays", { description: "Days to fix an open finding, per severity (info has no SLA)" });

export const SlaPolicySchema = z
  .object({
    days: SlaDaysSchema,
    custom: z.boolean().openapi({ description: "false while the documented defaults apply" }),
    updatedAt: z.string().nullable(),
  })
  .openapi("SlaPolicy");

export const PutSlaPolicyBody = z.object({ days: SlaDaysSchema }).strict().openapi("SlaPolicyInput");

const PerSeverity = z.object({
  critical: z.number().int(),
  high: z.number().int(),
  medium: z.number().int(),
  low: z.number().int(),
});

const Resolve = z.object({
  resolved: z.number().int(),
  meanDays: z.number().nullable(),
  medianDays: z.number().nullable(),
  p90Days: z.number().nullable(),
  withinSla: z.number().nullable().openapi({ description: "Share (0–1) of resolutions within the SLA" }),
});

export const SlaQuery = z
  .object({
    cluster: z.string().min(1).max(100).optional().openapi({ description: "Cluster id or name" }),
    window: z.coerce
      .number()
      .int()
      .min(1)
      .max(800)
      .default(90)
      .openapi({ description: "Days of resolutions to measure time to resolve over" }),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(1000).optional(),
  })
  .strict();

export const SlaReportSchema = z
  .object({
    policy: SlaPolicySchema,
    window: z.object({ from: z.string(), to: z.string(), days: z.number().int() }),
    breaches: PerSeverity.openapi({ description: "Open, unsuppressed findings past their due date" }),
    dueWithin7Days: PerSeverity,
    timeToResolve: z.object({ critical: Resolve, high: Resolve, medium: Resolve, low: Resolve }),
    items: z.array(
      FindingSchema.extend({
        dueAt: z.string(),
        overdueDays: z.number().int(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi("SlaReport");
