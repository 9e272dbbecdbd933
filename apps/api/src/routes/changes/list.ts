import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, EXPENSIVE_ERRORS, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { defineRoute } from "../../openapi/route.js";
import { listChanges } from "../../services/changes/list.js";
import { validationError } from "../../validation.js";
import { findingJson } from "../findings/schema.js";
import { ChangeCursor, ChangeList, ChangesQuery } from "./schema.js";

const WEEK_MS = 7 * 86_400_000;

export const route = defineRoute({
  operationId: "listChanges",
  method: "get",
  path: "/v1/changes",
  tags: ["findings"],
  summary: "Status changes of findings in a time window (read scope)",
  description: [
    "Every transition in [since, until), oldest first: `new` (first seen), `resolved` (absent from a later",
    "snapshot), `reopened` (back after being resolved), `suppressed` (a suppression was created) and",
    "`unsuppressed` (a suppression was deleted or expired). Each item carries the finding as it is now and the",
    "report or suppression that caused it; an expiry is dated at the expiry and recorded within a minute of it.",
    "Takes the filters of GET /v1/findings except `status`. Pages by `cursor` (keyset over time and event).",
  ].join(" "),
  security: bearerSecurity,
  middleware: [requireScope("read"), expensive()] as const,
  request: { query: ChangesQuery },
  responses: {
    200: json(ChangeList, "A page of changes"),
    ...problems("validation_failed", ...TOKEN_ERRORS, ...EXPENSIVE_ERRORS),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const { cursor, type, since, until, ...filters } = c.req.valid("query");
  const end = until ?? new Date().toISOString();
  const start = since ?? new Date(Date.parse(end) - WEEK_MS).toISOString();
  if (Date.parse(start) > Date.parse(end)) {
    throw validationError([{ location: "query.since", message: "after `until`" }]);
  }
  const after = cursor ? decodeCursor(cursor, ChangeCursor) : undefined;
  const page = await listChanges({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: {
      ...filters,
      since: start,
      until: end,
      ...(type ? { types: type } : {}),
      ...(after ? { after: { at: after[0], id: after[1] } } : {}),
    },
  });
  return c.json(
    {
      items: page.items.map((r) => ({
        type: r.event_kind,
        at: r.event_at.toISOString(),
        reportId: r.event_report_id,
        suppressionId: r.event_suppression_id,
        finding: findingJson(r),
      })),
      nextCursor: page.next ? encodeCursor([page.next.at, page.next.id]) : null,
    },
    200,
  );
};
