import { type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { addDays, daysBetween, todayUtc, utcDay } from "../../lib/dates.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, EXPENSIVE_ERRORS, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { defineRoute } from "../../openapi/route.js";
import { getPostureHistory } from "../../services/posture/history.js";
import { validationError } from "../../validation.js";
import { Counts } from "./schema.js";

const MAX_DAYS = 1000;

export const HistoryQuery = z
  .object({
    cluster: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "Cluster id or name; all when absent" }),
    from: utcDay
      .optional()
      .openapi({ description: "First UTC day (YYYY-MM-DD); default 89 days before `to`" }),
    to: utcDay.optional().openapi({ description: "Last UTC day; default today" }),
    interval: z.enum(["day", "week"]).default("day"),
  })
  .strict();

const Score = z.object({ id: z.string(), score: z.number().int() });

export const HistorySchema = z
  .object({
    cluster: z.object({ id: z.string(), name: z.string() }).nullable(),
    interval: z.enum(["day", "week"]),
    from: z.string(),
    to: z.string(),
    points: z.array(
      z.object({
        at: z
          .string()
          .openapi({ description: "The UTC day, or the Monday of the ISO week", example: "2026-11-23" }),
        score: z.number().int(),
        open: Counts,
        resolved: z.number().int().openapi({ description: "Findings resolved that day (or week)" }),
        categories: z.array(Score),
        strategies: z.array(Score),
        estimated: z.boolean().openapi({
          description:
            "true when some cluster's state was carried over from an earlier day or replayed from status events",
        }),
      }),
    ),
  })
  .openapi("PostureHistory");

export const route = defineRoute({
  operationId: "getPostureHistory",
  method: "get",
  path: "/v1/posture/history",
  tags: ["posture"],
  summary: "Posture score and open counts per UTC day or ISO week (read scope)",
  description: [
    "One point per day (or per ISO week: the state at the week's last day in range, labelled by its Monday)",
    "with the overall, category and strategy scores and open counts per severity, summed over the tenant's",
    "clusters or for one. A day's point is the state at its last write: a snapshot applied, a suppression",
    "changed, or the quarter-hourly closing job (which also carries the last state over days when nothing",
    `was written). History is kept for POSTURE_HISTORY_DAYS (≥ 400); at most ${MAX_DAYS} days per request.`,
  ].join(" "),
  security: bearerSecurity,
  middleware: [requireScope("read"), expensive()] as const,
  request: { query: HistoryQuery },
  responses: {
    200: json(HistorySchema, "The points, oldest first"),
    ...problems("validation_failed", ...TOKEN_ERRORS, "not_found", ...EXPENSIVE_ERRORS),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const q = c.req.valid("query");
  const to = q.to ?? todayUtc();
  const from = q.from ?? addDays(to, -89);
  if (from > to) throw validationError([{ location: "query.from", message: "after `to`" }]);
  if (daysBetween(from, to) >= MAX_DAYS) {
    throw validationError([{ location: "query.from", message: `more than ${MAX_DAYS} days before \`to\`` }]);
  }
  const { cluster, points } = await getPostureHistory({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: { cluster: q.cluster, from, to, interval: q.interval },
  });
  return c.json({ cluster, interval: q.interval, from, to, points }, 200);
};
