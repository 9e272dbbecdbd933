import { z } from "@hono/zod-openapi";

export const PostureQuery = z.object({
  cluster: z.string().min(1).max(100).optional().openapi({
    description: "A cluster id or name; all clusters of the tenant when absent",
    example: "prod-eu-1",
  }),
});

export const Counts = z
  .object({
    critical: z.number().int(),
    high: z.number().int(),
    medium: z.number().int(),
    low: z.number().int(),
    info: z.number().int(),
  })
  .openapi("SeverityCounts", { description: "Open, unsuppressed findings per severity" });

const StrategyPosture = z
  .object({
    id: z.string().openapi({ example: "PROT-MTLS" }),
    name: z.string(),
    score: z.number().int().min(0).max(100),
    open: Counts,
    resolved: z
      .number()
      .int()
      .openapi({ description: "Findings resolved in the last 7 days (this UTC day and the six before)" }),
  })
  .openapi("StrategyPosture");

const CategoryPosture = StrategyPosture.extend({ strategies: z.array(StrategyPosture) }).openapi(
  "CategoryPosture",
);

export const PostureSchema = z
  .object({
    cluster: z.object({ id: z.string(), name: z.string() }).nullable(),
    score: z.number().int().min(0).max(100),
    open: Counts,
    resolved: z
      .number()
      .int()
      .openapi({ description: "Findings resolved in the last 7 days (this UTC day and the six before)" }),
    categories: z.array(CategoryPosture),
    formula: z.string(),
  })
  .openapi("Posture");

export const SCORE_FORMULA =
  "strategy = round(100·50/(50+W)) with W = 10·critical + 5·high + 2·medium + 1·low over open, unsuppressed " +
  "findings; category = round(mean of its strategies); overall = round(mean of the categories)";
