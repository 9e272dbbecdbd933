import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { cursorTimestamp, decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { listRules } from "../../services/notification-rules/list.js";
import { PageQuery, RuleList, ruleJson } from "./schema.js";

export const route = createRoute({
  operationId: "listNotificationRules",
  method: "get",
  path: "/v1/notification-rules",
  tags: ["notifications"],
  summary: "The tenant's notification rules, newest first, keyset-paged (read scope)",
  security: bearerSecurity,
  middleware: [requireScope("read")] as const,
  request: { query: PageQuery },
  responses: { 200: json(RuleList, "Rules"), ...problems("validation_failed", ...TOKEN_ERRORS) },
});

const Cursor = z.tuple([cursorTimestamp, z.string().min(1).max(100)]);

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const { cursor, limit } = c.req.valid("query");
  const after = cursor ? decodeCursor(cursor, Cursor) : undefined;
  const page = await listRules({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: { limit, ...(after ? { after: { createdAt: after[0], id: after[1] } } : {}) },
  });
  const now = new Date();
  return c.json(
    {
      items: page.items.map((r) => ruleJson(r, now)),
      nextCursor: page.next ? encodeCursor([page.next.createdAt, page.next.id]) : null,
    },
    200,
  );
};
