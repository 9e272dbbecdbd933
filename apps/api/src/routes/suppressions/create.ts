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
import { createSuppression } from "../../services/suppressions/create.js";
import { CreateSuppressionBody, SuppressionSchema, suppressionJson } from "./schema.js";

export const route = createRoute({
  method: "post",
  operationId: "createSuppression",
  path: "/v1/suppressions",
  tags: ["suppressions"],
  summary: "Suppress matching findings until a date (write scope)",
  description:
    "Every given selector field must equal the finding's. Matching open findings read as `suppressed` until it expires or is deleted.",
  security: bearerSecurity,
  middleware: [requireScope("write"), requireJsonBody] as const,
  request: { body: jsonBody(CreateSuppressionBody) },
  responses: {
    201: json(SuppressionSchema, "Suppression created"),
    ...problems(...JSON_BODY_ERRORS, ...TOKEN_ERRORS),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId, tokenId } = authOf(c);
  const body = c.req.valid("json");
  const row = await createSuppression({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: {
      selector: body.selector,
      reason: body.reason,
      expiresAt: new Date(body.expiresAt),
      createdBy: tokenId,
    },
  });
  return c.json(suppressionJson(row), 201);
};
