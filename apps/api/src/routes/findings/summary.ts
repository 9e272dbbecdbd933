import { type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, EXPENSIVE_ERRORS, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { defineRoute } from "../../openapi/route.js";
import { GROUP_KEYS, summarizeFindings } from "../../services/findings/summary.js";
import { FindingFilterParams, LimitParam } from "./query.js";

const groupBy = z
  .string()
  .transform((s) => s.split(",").map((x) => x.trim()))
  .pipe(
    z
      .array(z.enum(GROUP_KEYS, { error: `each key must be one of ${GROUP_KEYS.join(", ")}` }))
      .min(1)
      .max(2, "one or two keys")
      .refine((ks) => new Set(ks).size === ks.length, "the two keys must differ"),
  )
  .openapi({
    description: `One or two of ${GROUP_KEYS.join(", ")}, comma-separated`,
    example: "strategy,severity",
  });

export const SummaryQuery = z
  .object({ groupBy, ...FindingFilterParams, limit: LimitParam(10_000, 1000) })
  .strict();

export const SummarySchema = z
  .object({
    groups: z.array(
      z.object({
        key: z.record(z.string(), z.string().nullable()).openapi({
          description:
            "The group's value per key (`cluster` is the cluster id; null where the field does not apply)",
          example: { strategy: "LP-CTR", severity: "high" },
        }),
        count: z.number().int(),
        labels: z.object({ cluster: z.string() }).optional().openapi({ description: "The cluster's name" }),
      }),
    ),
    total: z.number().int().openapi({ description: "Findings matching the filters, over every group" }),
    truncated: z.boolean().openapi({ description: "More groups exist than `limit`" }),
  })
  .openapi("FindingSummary");

export const route = defineRoute({
  operationId: "summarizeFindings",
  method: "get",
  path: "/v1/findings/summary",
  tags: ["findings"],
  summary: "Counts of findings per one or two keys (read scope)",
  description:
    "Takes every filter of GET /v1/findings (status defaults to open). Groups come largest first; at most `limit` (default 1000).",
  security: bearerSecurity,
  middleware: [requireScope("read"), expensive()] as const,
  request: { query: SummaryQuery },
  responses: {
    200: json(SummarySchema, "The groups"),
    ...problems("validation_failed", ...TOKEN_ERRORS, ...EXPENSIVE_ERRORS),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const result = await summarizeFindings({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: c.req.valid("query"),
  });
  return c.json(result, 200);
};
