import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { expensive } from "../../fairness/expensive.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, EXPENSIVE_ERRORS, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { listCompliance } from "../../services/compliance/list.js";
import { ComplianceList, ComplianceQuery, complianceJson } from "./schema.js";

export const route = createRoute({
  method: "get",
  operationId: "listCompliance",
  path: "/v1/compliance",
  tags: ["compliance"],
  summary: "Compliance evidence per cluster and framework, summaries only (read scope)",
  description:
    "From trivy-operator ClusterComplianceReports: the latest snapshot's controls counted as pass / fail / manual. " +
    "The checks behind the controls are findings already; this is evidence, not more findings.",
  security: bearerSecurity,
  middleware: [requireScope("read"), expensive()] as const,
  request: { query: ComplianceQuery },
  responses: {
    200: json(ComplianceList, "Compliance summaries"),
    ...problems("validation_failed", ...TOKEN_ERRORS, ...EXPENSIVE_ERRORS, "not_found"),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const rows = await listCompliance({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: c.req.valid("query"),
  });
  return c.json({ items: rows.map(complianceJson) }, 200);
};
