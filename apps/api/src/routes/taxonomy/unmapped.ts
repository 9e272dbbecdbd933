import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, EXPENSIVE_ERRORS, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { listUnmapped } from "../../services/taxonomy/unmapped.js";
import { UnmappedQuery, UnmappedSchema } from "./schema.js";

export const route = createRoute({
  method: "get",
  operationId: "listUnmappedChecks",
  path: "/v1/taxonomy/unmapped",
  tags: ["taxonomy"],
  summary: "Check ids seen in this tenant's findings that no mapping table knows (read scope)",
  description:
    "Such findings were placed by the tool's own category (`taxonomy.mapped = false`). Most frequent first, at most 1,000.",
  security: bearerSecurity,
  middleware: [requireScope("read"), expensive()] as const,
  request: { query: UnmappedQuery },
  responses: {
    200: json(UnmappedSchema, "Unmapped check ids"),
    ...problems("validation_failed", ...TOKEN_ERRORS, ...EXPENSIVE_ERRORS),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const rows = await listUnmapped({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: c.req.valid("query"),
  });
  return c.json(
    {
      items: rows.map((r) => ({
        source: r.source,
        ruleId: r.rule_id,
        title: r.title,
        strategy: r.strategy,
        findings: r.findings,
        open: r.open,
        firstSeenAt: r.first_seen_at.toISOString(),
        lastSeenAt: r.last_seen_at.toISOString(),
      })),
    },
    200,
  );
};
