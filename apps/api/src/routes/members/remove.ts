import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { removeMember } from "../../services/members/change.js";
import { MemberParams } from "./schema.js";
import { ownerOrNot } from "./update.js";

export const route = createRoute({
  operationId: "removeMember",
  method: "delete",
  path: "/v1/members/{userId}",
  tags: ["members"],
  summary:
    "Remove a member (admin scope): ends their sessions here and revokes their API tokens of this tenant",
  description: "Only a signed-in owner removes an owner; the last owner cannot be removed (409).",
  security: bearerSecurity,
  middleware: [requireScope("admin")] as const,
  request: { params: MemberParams },
  responses: { 204: { description: "Removed" }, ...problems(...TOKEN_ERRORS, "not_found", "conflict") },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const auth = authOf(c);
  await removeMember({
    ctx: { pool: c.get("deps").pool, tenantId: auth.tenantId },
    input: { userId: c.req.valid("param").userId, actorRole: ownerOrNot(auth) },
  });
  return c.body(null, 204);
};
