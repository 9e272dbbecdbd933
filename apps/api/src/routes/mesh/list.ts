import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, EXPENSIVE_ERRORS, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { listMeshCoverage } from "../../services/mesh/list.js";
import { coverageJson } from "./get.js";
import { MeshCoverageList } from "./schema.js";

export const route = createRoute({
  method: "get",
  operationId: "getMeshCoverage",
  path: "/v1/mesh-coverage",
  tags: ["mesh"],
  summary: "Mesh coverage facts of every cluster of the tenant, with tenant totals (read scope; extension)",
  security: bearerSecurity,
  middleware: [requireScope("read"), expensive()] as const,
  responses: {
    200: json(MeshCoverageList, "Clusters by name; facts null before a mesh-config report"),
    ...problems(...TOKEN_ERRORS, ...EXPENSIVE_ERRORS),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const { items, total } = await listMeshCoverage({ ctx: { pool: c.get("deps").pool, tenantId } });
  return c.json({ items: items.map(coverageJson), total }, 200);
};
