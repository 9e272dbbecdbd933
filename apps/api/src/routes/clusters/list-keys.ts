import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { listSigningKeys } from "../../services/clusters/list-keys.js";
import { ClusterParams, SigningKeyList } from "./schema.js";

export const route = createRoute({
  method: "get",
  operationId: "listSigningKeys",
  path: "/v1/clusters/{id}/keys",
  tags: ["clusters"],
  summary: "List a cluster's signing keys, without secrets (admin scope; extension)",
  security: bearerSecurity,
  middleware: [requireScope("admin")] as const,
  request: { params: ClusterParams },
  responses: { 200: json(SigningKeyList, "Keys, oldest first"), ...problems(...TOKEN_ERRORS, "not_found") },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const keys = await listSigningKeys({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: { clusterId: c.req.valid("param").id },
  });
  const items = keys.map((k) => ({
    keyId: k.keyId,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt?.toISOString() ?? null,
  }));
  return c.json({ items }, 200);
};
