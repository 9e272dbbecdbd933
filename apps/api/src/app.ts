import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppDeps, AppEnv } from "./env.js";
import { ApiError, type ApiErrorCode, problemResponse } from "./errors.js";
import { createMetrics } from "./metrics.js";
import { notFoundHandler } from "./middleware/not-found.js";
import { requestContext } from "./middleware/request-context.js";
import { registerDocs } from "./openapi/register.js";
import { registerAdmin } from "./routes/admin/index.js";
import { registerChanges } from "./routes/changes/index.js";
import { registerClusters } from "./routes/clusters/index.js";
import { registerCompliance } from "./routes/compliance/index.js";
import { registerFindings } from "./routes/findings/index.js";
import { registerMesh } from "./routes/mesh/index.js";
import { registerNotificationRules } from "./routes/notification-rules/index.js";
import { registerPosture } from "./routes/posture/index.js";
import { registerReports } from "./routes/reports/index.js";
import { registerSla } from "./routes/sla/index.js";
import { registerSuppressions } from "./routes/suppressions/index.js";
import { registerSystem } from "./routes/system/index.js";
import { registerTaxonomy } from "./routes/taxonomy/index.js";
import { registerTokens } from "./routes/tokens/index.js";
import { defaultHook } from "./validation.js";

const HTTP_EXCEPTION_CODES: Record<number, ApiErrorCode> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

function renderError(err: Error, c: Context<AppEnv>): Response {
  const requestId = c.get("requestId");
  if (err instanceof ApiError) return problemResponse(err, requestId);
  if (err instanceof HTTPException) {
    // hono's own validators throw these, e.g. "Malformed JSON in request body"
    const code = HTTP_EXCEPTION_CODES[err.status];
    if (code) return problemResponse(new ApiError(code, err.message), requestId);
  }
  // unknown: the stack goes to the log, the caller gets the request id to quote, never internals
  c.get("deps").logger.error(
    { requestId, err: { message: err.message, stack: err.stack } },
    "unhandled error",
  );
  return problemResponse(
    new ApiError("internal", "unexpected error; quote the request id when reporting it"),
    requestId,
  );
}

/** Build the API. `deps` are real clients owned by the caller (index.ts or a test), closed by it. */
export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const metrics = createMetrics(deps.queue);
  const app = new OpenAPIHono<AppEnv>({ defaultHook });
  app.use("*", requestContext(deps, metrics));
  app.onError(renderError);
  app.notFound(notFoundHandler(() => app.routes));
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An API token (`bwk_…`) of the tenant, or ADMIN_TOKEN for /admin routes",
  });
  registerSystem(app);
  registerAdmin(app);
  registerClusters(app);
  registerTokens(app);
  registerReports(app);
  registerFindings(app);
  registerSuppressions(app);
  registerMesh(app);
  registerPosture(app);
  registerChanges(app);
  registerSla(app);
  registerTaxonomy(app);
  registerCompliance(app);
  registerNotificationRules(app);
  registerDocs(app);
  return app;
}
