import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { revokeSigningKey } from "../../services/clusters/revoke-key.js";
import { KeyParams } from "./schema.js";

export const route = createRoute({
  method: "delete",
  operationId: "revokeSigningKey",
  path: "/v1/clusters/{id}/keys/{keyId}",
  tags: ["clusters"],
  summary: "Revoke one signing key (admin scope); the cluster's other keys keep working",
  security: bearerSecurity,
  middleware: [requireScope("admin")] as const,
  request: { params: KeyParams },
  responses: {
    204: { description: "Revoked (also when it already was)" },
    ...problems(...TOKEN_ERRORS, "not_found"),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const { id, keyId } = c.req.valid("param");
  await revokeSigningKey({ ctx: { pool: c.get("deps").pool, tenantId }, input: { clusterId: id, keyId } });
  return c.body(null, 204);
};
