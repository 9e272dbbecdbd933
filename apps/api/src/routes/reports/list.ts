import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { cursorTimestamp, decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, EXPENSIVE_ERRORS, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { listReports } from "../../services/reports/list.js";
import { ListReportsQuery, ReportList, reportJson } from "./schema.js";

const Cursor = z.tuple([cursorTimestamp, z.string().min(1)]);

export const route = createRoute({
  method: "get",
  operationId: "listReports",
  path: "/v1/reports",
  tags: ["reports"],
  summary: "Recent reports, newest first (read scope)",
  description:
    "Filter by `cluster` (id or name), `source`, `status`. Paging by `cursor` (keyset), never offset.",
  security: bearerSecurity,
  middleware: [requireScope("read"), expensive()] as const,
  request: { query: ListReportsQuery },
  responses: {
    200: json(ReportList, "A page of reports"),
    ...problems("validation_failed", ...TOKEN_ERRORS, ...EXPENSIVE_ERRORS),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const { cursor, ...query } = c.req.valid("query");
  const after = cursor ? decodeCursor(cursor, Cursor) : undefined;
  const page = await listReports({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: { ...query, after: after && { receivedAt: after[0], id: after[1] } },
  });
  const nextCursor = page.next ? encodeCursor([page.next.receivedAt, page.next.id]) : null;
  return c.json({ items: page.items.map(reportJson), nextCursor }, 200);
};
