import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";

export const route = createRoute({
  method: "get",
  operationId: "getMetrics",
  path: "/metrics",
  tags: ["operations"],
  security: [],
  summary: "Prometheus metrics (text exposition format)",
  responses: {
    200: { description: "Metrics", content: { "text/plain": { schema: z.string() } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { registry } = c.get("metrics");
  const body = await registry.metrics();
  return c.text(body, 200, { "content-type": registry.contentType });
};
