import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, EXPENSIVE_ERRORS, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { getFinding } from "../../services/findings/get.js";
import { eventJson, FindingParams, FindingWithHistory, findingJson } from "./schema.js";

export const route = createRoute({
  method: "get",
  operationId: "getFinding",
  path: "/v1/findings/{id}",
  tags: ["findings"],
  summary: "One finding with its status history (read scope)",
  security: bearerSecurity,
  middleware: [requireScope("read"), expensive()] as const,
  request: { params: FindingParams },
  responses: {
    200: json(FindingWithHistory, "The finding; `history` lists its transitions oldest first"),
    ...problems(...TOKEN_ERRORS, ...EXPENSIVE_ERRORS, "not_found"),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const { finding, history } = await getFinding({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: c.req.valid("param"),
  });
  return c.json({ ...findingJson(finding), history: history.map(eventJson) }, 200);
};
