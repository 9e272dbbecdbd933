import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { defineRoute } from "../../openapi/route.js";
import { getSlaPolicy } from "../../services/sla/policy.js";
import { SlaPolicySchema } from "./schema.js";

export const route = defineRoute({
  operationId: "getSlaPolicy",
  method: "get",
  path: "/v1/sla/policy",
  tags: ["sla"],
  summary: "The tenant's days-to-fix per severity (read scope)",
  description: "Defaults until set: critical 15, high 30, medium 90, low 180 days.",
  security: bearerSecurity,
  middleware: [requireScope("read")] as const,
  responses: { 200: json(SlaPolicySchema, "The policy"), ...problems(...TOKEN_ERRORS) },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const p = await getSlaPolicy({ ctx: { pool: c.get("deps").pool, tenantId } });
  return c.json({ ...p, updatedAt: p.updatedAt?.toISOString() ?? null }, 200);
};
