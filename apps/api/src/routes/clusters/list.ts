import type { Source } from "@bulwark/schema";
import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, EXPENSIVE_ERRORS, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { listClusters } from "../../services/clusters/list.js";
import { ClusterList } from "./schema.js";

export const route = createRoute({
  method: "get",
  operationId: "listClusters",
  path: "/v1/clusters",
  tags: ["clusters"],
  summary: "List clusters with each one's latest report per source (read scope)",
  security: bearerSecurity,
  middleware: [requireScope("read"), expensive()] as const,
  responses: {
    200: json(ClusterList, "Clusters, by name"),
    ...problems(...TOKEN_ERRORS, ...EXPENSIVE_ERRORS),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const clusters = await listClusters({ ctx: { pool: c.get("deps").pool, tenantId } });
  const items = clusters.map((cl) => ({
    id: cl.id,
    name: cl.name,
    createdAt: cl.createdAt.toISOString(),
    sources: cl.sources.map((s) => ({
      source: s.source as Source,
      lastReceivedAt: s.lastReceivedAt.toISOString(),
      lastCollectedAt: s.lastCollectedAt.toISOString(),
      lastStatus: s.lastStatus,
    })),
  }));
  return c.json({ items }, 200);
};
