import type { RouteHandler } from "@hono/zod-openapi";
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
import { defineRoute } from "../../openapi/route.js";
import { putSlaPolicy } from "../../services/sla/policy.js";
import { PutSlaPolicyBody, SlaPolicySchema } from "./schema.js";

export const route = defineRoute({
  operationId: "putSlaPolicy",
  method: "put",
  path: "/v1/sla/policy",
  tags: ["sla"],
  summary: "Set the days-to-fix per severity (write scope)",
  description:
    "Every severity is required (1–3650 days). Applies at once to breaches and time-to-resolve shares.",
  security: bearerSecurity,
  middleware: [requireScope("write"), requireJsonBody] as const,
  request: { body: jsonBody(PutSlaPolicyBody) },
  responses: {
    200: json(SlaPolicySchema, "The policy now"),
    ...problems(...JSON_BODY_ERRORS, ...TOKEN_ERRORS),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId, tokenId } = authOf(c);
  const p = await putSlaPolicy({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: { days: c.req.valid("json").days, updatedBy: tokenId },
  });
  return c.json({ ...p, updatedAt: p.updatedAt?.toISOString() ?? null }, 200);
};
