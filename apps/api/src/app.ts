import {
  createMailer,
  createObjectStore,
  isDataException,
  isStatementTimeout,
  isUnavailableError,
  safeError,
} from "@bulwark/runtime";
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { consoleErrorPage, isConsoleRequest } from "./console/errors.js";
import { registerConsole } from "./console/index.js";
import type { AppDeps, AppEnv } from "./env.js";
import { ApiError, type ApiErrorCode, problemResponse } from "./errors.js";
import { IngestBudget } from "./fairness/ingest-budget.js";
import { FairLimiter } from "./fairness/limiter.js";
import { sharedInspectPool } from "./ingest/scan/shared.js";
import { createMetrics } from "./metrics.js";
import { auditWrites } from "./middleware/audit.js";
import { inputHygiene } from "./middleware/input-hygiene.js";
import { notFoundHandler } from "./middleware/not-found.js";
import { requestContext } from "./middleware/request-context.js";
import { registerDocs } from "./openapi/register.js";
import { registerAdmin } from "./routes/admin/index.js";
import { registerAuditLog } from "./routes/audit-log/index.js";
import { registerAuth } from "./routes/auth/index.js";
import { registerChanges } from "./routes/changes/index.js";
import { registerClusters } from "./routes/clusters/index.js";
import { registerCompliance } from "./routes/compliance/index.js";
import { registerFindings } from "./routes/findings/index.js";
import { registerInvitations } from "./routes/invitations/index.js";
import { registerMembers } from "./routes/members/index.js";
import { registerMesh } from "./routes/mesh/index.js";
import { registerNotificationRules } from "./routes/notification-rules/index.js";
import { registerPosture } from "./routes/posture/index.js";
import { registerReports } from "./routes/reports/index.js";
import { registerSla } from "./routes/sla/index.js";
import { registerSso } from "./routes/sso/index.js";
import { registerSuppressions } from "./routes/suppressions/index.js";
import { registerSystem } from "./routes/system/index.js";
import { registerTaxonomy } from "./routes/taxonomy/index.js";
import * as deleteOwnTenant from "./routes/tenant/delete.js";
import { registerTokens } from "./routes/tokens/index.js";
import { registerUploads } from "./routes/uploads/index.js";
import { defaultHook } from "./validation.js";

const HTTP_EXCEPTION_CODES: Record<number, ApiErrorCode> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/** Retry-After for a dependency that is down or restarting: readiness probes run at about this period. */
const UNAVAILABLE_RETRY_S = 5;

/**
 * Errors of Postgres and Redis that are not bugs: a dependency down (503, retry later), a statement past its
 * timeout (504, not retried: the same query would time out again), a value the database cannot represent
 * (400: the request is wrong; routes validate first and name the parameter, this is the safety net).
 */
export function classifyDependencyError(err: unknown): ApiError | undefined {
  if (isStatementTimeout(err))
    return new ApiError(
      "timeout",
      "the query took too long and was cancelled; narrow the filters (cluster, severity, since) or lower limit",
    );
  if (isUnavailableError(err))
    return new ApiError("unavailable", "a dependency is unavailable; retry later", {
      retryAfter: UNAVAILABLE_RETRY_S,
    });
  if (isDataException(err))
    return new ApiError("bad_request", "a parameter holds a value that cannot be stored or compared");
  return undefined;
}

function renderError(err: Error, c: Context<AppEnv>): Response {
  const requestId = c.get("requestId");
  // the console's pages answer errors as pages (and a missing session with the sign-in page)
  const answer = (e: ApiError) =>
    isConsoleRequest(c) ? consoleErrorPage(c, e) : problemResponse(e, requestId);
  if (err instanceof ApiError) return answer(err);
  if (err instanceof HTTPException) {
    // hono's own validators throw these, e.g. "Malformed JSON in request body"
    const code = HTTP_EXCEPTION_CODES[err.status];
    if (code) return answer(new ApiError(code, err.message));
  }
  const known = classifyDependencyError(err);
  if (known) {
    c.get("deps").logger.warn({ requestId, err: safeError(err) }, known.message);
    return answer(known);
  }
  // unknown: the stack goes to the log, the caller gets the request id to quote, never internals
  c.get("deps").logger.error({ requestId, err: safeError(err) }, "unhandled error");
  return answer(new ApiError("internal", "unexpected error; quote the request id when reporting it"));
}

/** Build the API. `deps` are real clients owned by the caller (index.ts or a test), closed by it. */
export function createApp(given: AppDeps): OpenAPIHono<AppEnv> {
  const deps: AppDeps = {
    ...given,
    mailer: given.mailer !== undefined ? given.mailer : createMailer(given.config),
    objectStore: given.objectStore !== undefined ? given.objectStore : createObjectStore(given.config),
  };
  const metrics = createMetrics(deps.queue);
  const app = new OpenAPIHono<AppEnv>({ defaultHook });
  app.use("*", requestContext(deps, metrics));
  const fairness = new FairLimiter({
    perTenant: deps.config.TENANT_QUERY_CONCURRENCY,
    total: deps.config.QUERY_CONCURRENCY,
    waitMs: deps.config.QUERY_QUEUE_MS,
  });
  const ingest = {
    budget: new IngestBudget({
      perTenant: deps.config.INGEST_TENANT_CONCURRENCY,
      total: deps.config.INGEST_CONCURRENCY,
      bytes: deps.config.INGEST_MEMORY_MB * 1024 * 1024,
    }),
    threads: sharedInspectPool(deps.config.INGEST_THREADS),
  };
  app.use("*", async (c, next) => {
    c.set("fairness", fairness);
    c.set("ingest", ingest);
    await next();
  });
  app.use("*", inputHygiene);
  app.use("*", auditWrites);
  app.onError(renderError);
  app.notFound(notFoundHandler(() => app.routes));
  registerSystem(app);
  registerAdmin(app);
  registerClusters(app);
  registerTokens(app);
  registerAuth(app);
  registerMembers(app);
  registerInvitations(app);
  registerAuditLog(app);
  registerSso(app);
  app.openapi(deleteOwnTenant.route, deleteOwnTenant.handler);
  registerReports(app);
  registerUploads(app);
  registerFindings(app);
  registerSuppressions(app);
  registerMesh(app);
  registerPosture(app);
  registerChanges(app);
  registerSla(app);
  registerTaxonomy(app);
  registerCompliance(app);
  registerNotificationRules(app);
  registerConsole(app);
  registerDocs(app);
  return app;
}
