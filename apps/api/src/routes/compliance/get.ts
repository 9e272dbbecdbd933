import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import {
  bearerSecurity,
  EXPENSIVE_ERRORS,
  IdParam,
  json,
  problems,
  TOKEN_ERRORS,
} from "../../openapi/common.js";
import { listCompliance } from "../../services/compliance/list.js";
import { ComplianceList, complianceJson } from "./schema.js";

export const route = createRoute({
  method: "get",
  operationId: "getClusterCompliance",
  path: "/v1/clusters/{id}/compliance",
  tags: ["compliance"],
  summary: "One cluster's compliance evidence, every control with its checks (read scope)",
  security: bearerSecurity,
  middleware: [requireScope("read"), expensive()] as const,
  request: { params: z.object({ id: IdParam("id", "cls_0123456789abcdefghjk") }) },
  responses: {
    200: json(ComplianceList, "Compliance per framework"),
    ...problems(...TOKEN_ERRORS, ...EXPENSIVE_ERRORS, "not_found"),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const rows = await listCompliance({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: { cluster: c.req.valid("param").id, withControls: true },
  });
  return c.json({ items: rows.map(complianceJson) }, 200);
};
