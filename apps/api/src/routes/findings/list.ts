import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { cursorTimestamp, decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, EXPENSIVE_ERRORS, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { listFindings } from "../../services/findings/list.js";
import { ListFindingsQuery } from "./query.js";
import { FindingList, findingJson } from "./schema.js";

const Cursor = z.tuple([z.number().int().min(0).max(4), cursorTimestamp, z.string().min(1)]);

export const route = createRoute({
  method: "get",
  path: "/v1/findings",
  tags: ["findings"],
  summary: "Findings, most severe then most recently seen first (read scope)",
  description: [
    "Filters combine (AND). `status` is derived at read time: a finding the latest snapshot left open that",
    "matches an active suppression is `suppressed`. Paging by `cursor` (keyset over severity, last seen, id);",
    "`nextCursor` is null on the last page. An unknown `cluster` simply matches nothing.",
  ].join(" "),
  security: bearerSecurity,
  middleware: [requireScope("read"), expensive()] as const,
  request: { query: ListFindingsQuery },
  responses: {
    200: json(FindingList, "A page of findings"),
    ...problems("validation_failed", ...TOKEN_ERRORS, ...EXPENSIVE_ERRORS),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const { cursor, ...query } = c.req.valid("query");
  const after = cursor ? decodeCursor(cursor, Cursor) : undefined;
  const page = await listFindings({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: { ...query, after: after && { rank: after[0], lastSeen: after[1], id: after[2] } },
  });
  const nextCursor = page.next ? encodeCursor([page.next.rank, page.next.lastSeen, page.next.id]) : null;
  return c.json({ items: page.items.map(findingJson), nextCursor }, 200);
};
