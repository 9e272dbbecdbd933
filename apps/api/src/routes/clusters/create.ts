import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { requireJsonBody } from "../../middleware/json-body.js";
import {
  bearerSecurity,
  JSON_BODY_ERRORS,
  json,
  jsonBody,
  problems,
  TOKEN_ERRORS,
} from "../../openapi/common.js";
import { createCluster } from "../../services/clusters/create.js";
import { CreateClusterBody, CreatedCluster } from "./schema.js";

export const route = createRoute({
  method: "post",
  operationId: "createCluster",
  path: "/v1/clusters",
  tags: ["clusters"],
  summary: "Register a cluster and issue its first signing key (admin scope)",
  description:
    "The key's secret is shown once; the collector signs uploads with it (see the signing section).",
  security: bearerSecurity,
  middleware: [requireScope("admin"), requireJsonBody] as const,
  request: { body: jsonBody(CreateClusterBody) },
  responses: {
    201: json(CreatedCluster, "Cluster created"),
    ...problems(...JSON_BODY_ERRORS, ...TOKEN_ERRORS, "conflict"),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { pool, config } = c.get("deps");
  const { tenantId } = authOf(c);
  const created = await createCluster({
    ctx: { pool, tenantId },
    input: { name: c.req.valid("json").name, secretsKey: Buffer.from(config.SECRETS_KEY, "base64") },
  });
  return c.json(created, 201);
};
