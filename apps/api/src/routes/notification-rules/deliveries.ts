import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { cursorTimestamp, decodeCursor, encodeCursor } from "../../lib/cursor.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { listDeliveries } from "../../services/notification-rules/deliveries.js";
import { DeliveriesQuery, DeliveryList, deliveryJson, RuleParams } from "./schema.js";

export const route = createRoute({
  operationId: "listNotificationDeliveries",
  method: "get",
  path: "/v1/notification-rules/{id}/deliveries",
  tags: ["notifications"],
  summary: "A rule's delivery history: status, attempts, last error, response code (read scope)",
  description:
    "Newest first, keyset-paged, optionally one `status`. One row per scheduled period (exactly once), per instant alert and per send-now request.",
  security: bearerSecurity,
  middleware: [requireScope("read")] as const,
  request: { params: RuleParams, query: DeliveriesQuery },
  responses: {
    200: json(DeliveryList, "Deliveries"),
    ...problems("validation_failed", ...TOKEN_ERRORS, "not_found"),
  },
});

const Cursor = z.tuple([cursorTimestamp, z.string().min(1).max(100)]);

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const { id } = c.req.valid("param");
  const { cursor, limit, status } = c.req.valid("query");
  const after = cursor ? decodeCursor(cursor, Cursor) : undefined;
  const page = await listDeliveries({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: {
      id,
      limit,
      ...(status ? { status } : {}),
      ...(after ? { after: { createdAt: after[0], id: after[1] } } : {}),
    },
  });
  return c.json(
    {
      items: page.items.map(deliveryJson),
      nextCursor: page.next ? encodeCursor([page.next.createdAt, page.next.id]) : null,
    },
    200,
  );
};
