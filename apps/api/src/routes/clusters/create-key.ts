import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { createSigningKey } from "../../services/clusters/create-key.js";
import { ClusterParams, SigningKeySecret } from "./schema.js";

export const route = createRoute({
  method: "post",
  operationId: "createSigningKey",
  path: "/v1/clusters/{id}/keys",
  tags: ["clusters"],
  summary: "Issue a further signing key for rotation (admin scope)",
  description: "Both keys stay valid until one is revoked. The secret is shown once.",
  security: bearerSecurity,
  middleware: [requireScope("admin")] as const,
  request: { params: ClusterParams },
  responses: { 201: json(SigningKeySecret, "Key created"), ...problems(...TOKEN_ERRORS, "not_found") },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { pool, config } = c.get("deps");
  const { tenantId } = authOf(c);
  const key = await createSigningKey({
    ctx: { pool, tenantId },
    input: { clusterId: c.req.valid("param").id, secretsKey: Buffer.from(config.SECRETS_KEY, "base64") },
  });
  return c.json(key, 201);
};
