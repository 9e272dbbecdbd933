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
    "Scopes are independent: `read` (queries), `write` (suppressions), `admin` (clusters, keys, tokens, members, SSO). A token that belongs to a user never does more than that user's role allows, and is revoked when they are removed.",
  security: bearerSecurity,
  middleware: [requireScope("admin"), requireJsonBody] as const,
  request: { body: jsonBody(CreateTokenBody) },
  responses: {
    201: json(CreatedToken, "Token created"),
    ...problems(...JSON_BODY_ERRORS, ...TOKEN_ERRORS),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const auth = authOf(c);
  const input = c.req.valid("json");
  const t = await createToken({
    ctx: { pool: c.get("deps").pool, tenantId: auth.tenantId },
    input: {
      name: input.name,
      scopes: input.scopes,
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      userId: input.service ? null : auth.userId,
    },
  });
  return c.json(
    {
      ...t,
      createdAt: t.createdAt.toISOString(),
      expiresAt: t.expiresAt?.toISOString() ?? null,
    },
    201,
  );
};
