import type { TokenScope } from "@bulwark/schema";
import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { listTokens } from "../../services/tokens/list.js";
import { TokenList } from "./schema.js";

export const route = createRoute({
  method: "get",
  operationId: "listTokens",
  path: "/v1/tokens",
  tags: ["tokens"],
  summary: "List API tokens without their secrets (admin scope)",
  security: bearerSecurity,
  middleware: [requireScope("admin")] as const,
  responses: { 200: json(TokenList, "Tokens, newest first"), ...problems(...TOKEN_ERRORS) },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const tokens = await listTokens({ ctx: { pool: c.get("deps").pool, tenantId } });
  const items = tokens.map((t) => ({
    id: t.id,
    name: t.name,
    scopes: t.scopes as TokenScope[],
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    userId: t.userId,
  }));
  return c.json({ items }, 200);
};
