import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { bearerSecurity, json, problems, TOKEN_ERRORS } from "../../openapi/common.js";
import { getReport } from "../../services/reports/get.js";
import { ReportParams, ReportSchema, reportJson } from "./schema.js";

export const route = createRoute({
  method: "get",
  operationId: "getReport",
  path: "/v1/reports/{id}",
  tags: ["reports"],
  summary: "One report and its processing outcome (read scope)",
  security: bearerSecurity,
  middleware: [requireScope("read")] as const,
  request: { params: ReportParams },
  responses: { 200: json(ReportSchema, "The report"), ...problems(...TOKEN_ERRORS, "not_found") },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  const report = await getReport({
    ctx: { pool: c.get("deps").pool, tenantId },
    input: c.req.valid("param"),
  });
  return c.json(reportJson(report), 200);
};
