import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { cursorTimestamp, decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, EXPENSIVE_ERRORS, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { listFindings } from "../../services/findings/list.js";
import { validationError } from "../../validation.js";
import { ListFindingsQuery } from "./query.js";
import { FindingList, findingJson } from "./schema.js";

const id = z.string().min(1).max(200);
const rank = z.number().int().min(0).max(4);
/** A cursor names its sort, so one from another sort answers 400 instead of skipping rows. */
export const Cursor = z.union([
  z.tuple([z.enum(["severity", "-severity"]), rank, cursorTimestamp, id]),
  z.tuple([z.enum(["lastSeenAt", "-lastSeenAt", "firstSeenAt", "-firstSeenAt"]), cursorTimestamp, id]),
  z.tuple([z.enum(["ruleId", "-ruleId"]), z.string().min(1).max(500), id]),
]);

export const route = createRoute({
  method: "get",
  operationId: "listFindings",
  path: "/v1/findings",
  tags: ["findings"],
  summary: "Findings in the requested order, most severe then most recently seen by default (read scope)",
  description: [
    "Filters combine (AND). `status` is derived at read time: a finding the latest snapshot left open that",
    "matches an active suppression is `suppressed`. Paging by `cursor` (keyset over the sort's columns and the",
    "id); `nextCursor` is null on the last page and a cursor is valid only with the sort it came from. An",
    "unknown `cluster` simply matches nothing; an unknown parameter, sort key or filter value answers 400.",
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
  let after: (string | number)[] | undefined;
  if (cursor) {
    const [sort, ...values] = decodeCursor(cursor, Cursor);
    if (sort !== query.sort) {
      throw validationError([
        { location: "query.cursor", message: `this cursor pages sort=${sort}, not sort=${query.sort}` },
      ]);
    }
    after = values;
  }
  const page = await listFindings({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: { ...query, after },
  });
  const nextCursor = page.next ? encodeCursor([query.sort, ...page.next]) : null;
  return c.json({ items: page.items.map(findingJson), nextCursor }, 200);
};
