import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { AppDeps, AppEnv } from "../env.js";
import { runInRequestScope } from "../lib/request-scope.js";
import type { Metrics } from "../metrics.js";

// the probes' own successful answers are debug lines: a kubelet asks every few seconds per pod
const PROBES = new Set(["/healthz", "/readyz", "/metrics"]);

// a caller's id is echoed only when it is short and harmless in logs and headers
const INCOMING_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Request id in and out, deps for handlers, and exactly one log line and one metric sample per request.
 * Errors are already rendered by onError when `next()` returns, so the status here is the one sent.
 */
export function requestContext(deps: AppDeps, metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    c.set("requestId", requestId);
    c.set("deps", deps);
    c.set("metrics", metrics);
    await runInRequestScope(requestId, () => next());
    c.header("X-Request-Id", requestId);
    const seconds = (performance.now() - started) / 1000;
    const route = c.get("routeLabel") ?? routePath(c, -1);
    const labels = { method: c.req.method, route, status: String(c.res.status) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, seconds);
    const level = PROBES.has(route) && c.res.status < 400 ? "debug" : "info";
    deps.logger[level](
      {
        requestId,
        method: c.req.method,
        route,
        status: c.res.status,
        durationMs: Math.round(seconds * 1000 * 10) / 10,
        tenantId: c.get("tenantId") ?? null,
      },
      "request",
    );
  };
}
