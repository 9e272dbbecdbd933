import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { json } from "../../openapi/common.js";

export const route = createRoute({
  method: "get",
  operationId: "getHealth",
  path: "/healthz",
  tags: ["operations"],
  security: [],
  summary: "Liveness: the process answers (no dependency is checked)",
  responses: { 200: json(z.object({ status: z.literal("ok") }), "Alive") },
});

export const handler: RouteHandler<typeof route, AppEnv> = (c) => c.json({ status: "ok" as const }, 200);
