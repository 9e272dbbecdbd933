import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { listMembers } from "../../services/members/list.js";
import { MemberList, MemberListQuery } from "./schema.js";

export const route = createRoute({
  operationId: "listMembers",
  method: "get",
  path: "/v1/members",
  tags: ["members"],
  summary: "The tenant's members and their roles, by e-mail (admin scope)",
  security: bearerSecurity,
  middleware: [requireScope("admin")] as const,
  request: { query: MemberListQuery },
  responses: { 200: json(MemberList, "Members"), ...problems("validation_failed", ...TOKEN_ERRORS) },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const q = c.req.valid("query");
  const after = q.cursor ? decodeCursor(q.cursor, z.tuple([z.string(), z.string()])) : null;
  const rows = await listMembers({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: { limit: q.limit + 1, after },
  });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return c.json(
    {
      items: page.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString() })),
      nextCursor: rows.length > q.limit && last ? encodeCursor([last.email, last.userId]) : null,
    },
    200,
  );
};
