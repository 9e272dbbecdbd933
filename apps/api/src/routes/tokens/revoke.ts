import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { revokeToken } from "../../services/tokens/revoke.js";
import { TokenParams } from "./schema.js";

export const route = createRoute({
  method: "delete",
  operationId: "revokeToken",
  path: "/v1/tokens/{id}",
  tags: ["tokens"],
  summary: "Revoke an API token (admin scope)",
  security: bearerSecurity,
  middleware: [requireScope("admin")] as const,
  request: { params: TokenParams },
  responses: {
    204: { description: "Revoked (also when it already was)" },
    ...problems(...TOKEN_ERRORS, "not_found"),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  await revokeToken({ ctx: { pool: c.get("deps").pool, tenantId }, input: { id: c.req.valid("param").id } });
  return c.body(null, 204);
};
