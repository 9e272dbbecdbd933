import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { ApiError } from "../../errors.js";
import { json, problems } from "../../openapi/common.js";
import { getReport } from "../../services/reports/get.js";
import { verifySignedRequest } from "../../services/signing/verify-request.js";
import { ReportParams, ReportSchema, reportJson } from "../reports/schema.js";

export const route = createRoute({
  method: "get",
  operationId: "getUploadStatus",
  path: "/v1/uploads/{id}",
  tags: ["ingestion"],
  security: [{ signedUpload: [] }],
  summary:
    "An upload's processing outcome, for the cluster that sent it (signed with one of its keys; extension)",
  description: [
    "What `bulwark-collector --wait` polls: the report as `GET /v1/reports/{id}` shows it, without a tenant API",
    "token. Signed like an upload (the SHA-256 of the empty body); a report of another cluster answers 404.",
  ].join("\n"),
  request: { params: ReportParams },
  responses: {
    200: json(
      ReportSchema,
      "The report: status queued, processing, done or failed, with its error and stats",
    ),
    ...problems("signature_invalid", "not_found"),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { pool, config } = c.get("deps");
  const signer = await verifySignedRequest({
    ctx: { pool },
    input: {
      method: c.req.method,
      url: c.req.url,
      header: (name) => c.req.header(name),
      secretsKey: Buffer.from(config.SECRETS_KEY, "base64"),
    },
  });
  c.set("tenantId", signer.tenantId);
  const { id } = c.req.valid("param");
  const report = await getReport({ ctx: { pool, tenantId: signer.tenantId }, input: { id } });
  // a key reads its own cluster's uploads only; another cluster's report is as absent as another tenant's
  if (report.clusterId !== signer.clusterId) throw new ApiError("not_found", `report ${id} not found`);
  const { manifest: _manifest, ...view } = report;
  return c.json(reportJson(view), 200);
};
