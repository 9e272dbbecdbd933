import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { listSuppressions } from "../../services/suppressions/list.js";
import { ListSuppressionsQuery, SuppressionList, suppressionJson } from "./schema.js";

export const route = createRoute({
  method: "get",
  path: "/v1/suppressions",
  tags: ["suppressions"],
  summary: "Active suppressions, newest first (read scope)",
  security: bearerSecurity,
  middleware: [requireScope("read")] as const,
  request: { query: ListSuppressionsQuery },
  responses: {
    200: json(SuppressionList, "Suppressions"),
    ...problems("validation_failed", ...TOKEN_ERRORS),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const rows = await listSuppressions({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: c.req.valid("query"),
  });
  const now = Date.now();
  return c.json({ items: rows.map((r) => suppressionJson(r, now)) }, 200);
};
