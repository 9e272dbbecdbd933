import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, EXPENSIVE_ERRORS, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { getMeshCoverage } from "../../services/mesh/get.js";
import type { MeshCoverageView } from "../../services/mesh/row.js";
import { MeshClusterParams, MeshCoverageSchema } from "./schema.js";

export const route = createRoute({
  method: "get",
  operationId: "getClusterMeshCoverage",
  path: "/v1/clusters/{id}/mesh-coverage",
  tags: ["mesh"],
  summary: "A cluster's mesh coverage facts from its latest mesh-config report (read scope; extension)",
  description:
    "Shares of application workloads with STRICT mTLS, authorization (an ALLOW policy or a default deny), a " +
    "proxy (sidecar or ambient), and end-user authentication where a RequestAuthentication exists. 404 for an " +
    "unknown cluster and before the first mesh-config report is processed.",
  security: bearerSecurity,
  middleware: [requireScope("read"), expensive()] as const,
  request: { params: MeshClusterParams },
  responses: {
    200: json(MeshCoverageSchema, "The coverage facts"),
    ...problems(...TOKEN_ERRORS, ...EXPENSIVE_ERRORS, "not_found"),
  },
});

export function coverageJson(v: MeshCoverageView) {
  return {
    cluster: v.cluster,
    reportId: v.reportId,
    collectedAt: v.collectedAt?.toISOString() ?? null,
    facts: v.facts,
  };
}

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const view = await getMeshCoverage({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: { clusterId: c.req.valid("param").id },
  });
  return c.json(coverageJson(view), 200);
};
