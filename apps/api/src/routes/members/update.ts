import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { requireJsonBody } from "../../middleware/json-body.js";
import { bearerSecurity, JSON_BODY_ERRORS, jsonBody, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { changeMemberRole } from "../../services/members/change.js";
import { ChangeRoleBody, MemberParams } from "./schema.js";

export const route = createRoute({
  operationId: "updateMember",
  method: "patch",
  path: "/v1/members/{userId}",
  tags: ["members"],
  summary: "Change a member's role (admin scope); takes effect on their next request",
  description:
    "Only a signed-in owner grants the owner role or changes an owner; the last owner cannot be demoted (409). The member's API tokens never exceed their new role.",
  security: bearerSecurity,
  middleware: [requireScope("admin"), requireJsonBody] as const,
  request: { params: MemberParams, body: jsonBody(ChangeRoleBody) },
  responses: {
    204: { description: "Changed" },
    ...problems(...JSON_BODY_ERRORS, ...TOKEN_ERRORS, "not_found", "conflict"),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const auth = authOf(c);
  await changeMemberRole({
    ctx: { pool: c.get("deps").pool, tenantId: auth.tenantId },
    input: {
      userId: c.req.valid("param").userId,
      role: c.req.valid("json").role,
      actorRole: ownerOrNot(auth),
    },
  });
  return c.body(null, 204);
};

/** Only a session's owner role counts as owner: tokens never act as owners. */
export function ownerOrNot(auth: { kind: string; role: import("@bulwark/schema").Role | null }) {
  return auth.kind === "session" ? auth.role : null;
}
