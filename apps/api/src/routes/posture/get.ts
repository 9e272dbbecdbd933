import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { getPosture } from "../../services/posture/get.js";
import { PostureQuery, PostureSchema, SCORE_FORMULA } from "./schema.js";

export const route = createRoute({
  method: "get",
  operationId: "getPosture",
  path: "/v1/posture",
  tags: ["posture"],
  summary: "Posture per taxonomy category and strategy, with scores (read scope)",
  description: [
    "Every category and strategy of the taxonomy (shared/TAXONOMY.md) with its score (0–100), open findings",
    `per severity (suppressed ones excluded) and findings resolved in the last 7 days. Score: ${SCORE_FORMULA}.`,
    "A strategy no finding touches scores 100: the score measures open problems, not scanner coverage.",
  ].join(" "),
  security: bearerSecurity,
  middleware: [requireScope("read")] as const,
  request: { query: PostureQuery },
  responses: {
    200: json(PostureSchema, "The posture"),
    ...problems("validation_failed", ...TOKEN_ERRORS, "not_found"),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const posture = await getPosture({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: c.req.valid("query"),
  });
  return c.json({ ...posture, formula: SCORE_FORMULA }, 200);
};
