import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { cursorTimestamp, decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, EXPENSIVE_ERRORS, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { listSuppressions } from "../../services/suppressions/list.js";
import { ListSuppressionsQuery, SuppressionList, suppressionJson } from "./schema.js";

export const route = createRoute({
  method: "get",
  operationId: "listSuppressions",
  path: "/v1/suppressions",
  tags: ["suppressions"],
  summary: "Active suppressions, newest first, keyset-paged (read scope)",
  security: bearerSecurity,
  middleware: [requireScope("read"), expensive()] as const,
  request: { query: ListSuppressionsQuery },
  responses: {
    200: json(SuppressionList, "Suppressions"),
    ...problems("validation_failed", ...TOKEN_ERRORS, ...EXPENSIVE_ERRORS),
  },
});

const Cursor = z.tuple([cursorTimestamp, z.string().min(1)]);

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const { cursor, ...query } = c.req.valid("query");
  const after = cursor ? decodeCursor(cursor, Cursor) : undefined;
  const page = await listSuppressions({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: { ...query, ...(after ? { after: { createdAt: after[0], id: after[1] } } : {}) },
  });
  const now = Date.now();
  const nextCursor = page.next ? encodeCursor([page.next.createdAt, page.next.id]) : null;
  return c.json({ items: page.items.map((r) => suppressionJson(r, now)), nextCursor }, 200);
};
