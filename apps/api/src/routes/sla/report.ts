import { type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { cursorTimestamp, decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, EXPENSIVE_ERRORS, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { defineRoute } from "../../openapi/route.js";
import { getSlaReport } from "../../services/sla/report.js";
import { findingJson } from "../findings/schema.js";
import { SlaQuery, SlaReportSchema } from "./schema.js";

const Cursor = z.tuple([cursorTimestamp, z.string().min(1).max(200)]);
const DAY_MS = 86_400_000;

export const route = defineRoute({
  operationId: "getSlaReport",
  method: "get",
  path: "/v1/sla",
  tags: ["sla"],
  summary: "Findings past their SLA and time to resolve per severity (read scope)",
  description: [
    "An open, unsuppressed finding is due `days[severity]` after its current open episode began (first seen,",
    "or reopened). `items` lists the breaches, most overdue first (keyset `cursor`); the counts cover them all.",
    "`timeToResolve` measures each resolution in the last `window` days from the opening before it.",
  ].join(" "),
  security: bearerSecurity,
  middleware: [requireScope("read"), expensive()] as const,
  request: { query: SlaQuery },
  responses: {
    200: json(SlaReportSchema, "The SLA report"),
    ...problems("validation_failed", ...TOKEN_ERRORS, ...EXPENSIVE_ERRORS),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const { cursor, window, ...q } = c.req.valid("query");
  const after = cursor ? decodeCursor(cursor, Cursor) : undefined;
  const r = await getSlaReport({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: { ...q, windowDays: window, ...(after ? { after: { due: after[0], id: after[1] } } : {}) },
  });
  const now = Date.now();
  return c.json(
    {
      policy: { ...r.policy, updatedAt: r.policy.updatedAt?.toISOString() ?? null },
      window: {
        from: new Date(now - window * DAY_MS).toISOString(),
        to: new Date(now).toISOString(),
        days: window,
      },
      breaches: r.breaches,
      dueWithin7Days: r.dueWithin7Days,
      timeToResolve: r.timeToResolve,
      items: r.items.map((f) => ({
        ...findingJson(f),
        dueAt: f.due_at.toISOString(),
        overdueDays: Math.floor((now - f.due_at.getTime()) / DAY_MS),
      })),
      nextCursor: r.next ? encodeCursor([r.next.due, r.next.id]) : null,
    },
    200,
  );
};
