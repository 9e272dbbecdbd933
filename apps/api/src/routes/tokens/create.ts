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
import { createToken } from "../../services/tokens/create.js";
import { CreatedToken, CreateTokenBody } from "./schema.js";

export const route = createRoute({
  method: "post",
  operationId: "createToken",
  path: "/v1/tokens",
  tags: ["tokens"],
  summary: "Create an API token (admin scope); the token is shown once",
  description:
    "Scopes are independent: `read` (queries), `write` (suppressions), `admin` (clusters, keys, tokens).",
  security: bearerSecurity,
  middleware: [requireScope("admin"), requireJsonBody] as const,
  request: { body: jsonBody(CreateTokenBody) },
  responses: {
    201: json(CreatedToken, "Token created"),
    ...problems(...JSON_BODY_ERRORS, ...TOKEN_ERRORS),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const t = await createToken({ ctx: { pool: c.get("deps").pool, tenantId }, input: c.req.valid("json") });
  return c.json({ ...t, createdAt: t.createdAt.toISOString() }, 201);
};
