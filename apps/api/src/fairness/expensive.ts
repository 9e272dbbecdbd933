import { runWithStatementTimeout } from "@bulwark/runtime";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.js";
import { ApiError } from "../errors.js";
import { LimitRefused } from "./limiter.js";

export interface ExpensiveOptions {
  /**
   * statement_timeout for this route's tenant transactions (ms). Default: QUERY_TIMEOUT_MS. A streaming
   * export passes its own, longer bound here (e.g. config.EXPORT_TIMEOUT_MS) — or passes
   * `{ statementTimeoutMs }` to withTenant for the one transaction that streams.
   */
  statementTimeoutMs?: number;
}

/**
 * Opt-in for routes whose queries grow with a tenant's data (lists, posture, summaries, exports, history).
 * Put it after requireScope: `middleware: [requireScope("read"), expensive()] as const`.
 * - at most TENANT_QUERY_CONCURRENCY such requests per tenant at once (429 + Retry-After beyond that), and
 *   QUERY_CONCURRENCY in all, shared fairly (503 + Retry-After after QUERY_QUEUE_MS of waiting): one tenant's
 *   load cannot exhaust the connection pool that every other tenant's requests need;
 * - every statement of the request's tenant transactions (withTenant) is bounded by statement_timeout;
 *   a query past it is cancelled and answered 504 (not retried as is: the same query would time out again).
 */
export function expensive(opts: ExpensiveOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const release = await acquireQuerySlot(c);
    try {
      await runWithStatementTimeout(opts.statementTimeoutMs ?? c.get("deps").config.QUERY_TIMEOUT_MS, () =>
        next(),
      );
    } finally {
      release();
    }
  };
}

/**
 * The tenant's query slot, for a route that must hold it beyond its handler (a streamed export releases it
 * when the stream ends): 429 or 503 with Retry-After as in expensive().
 */
export async function acquireQuerySlot(c: Context<AppEnv>): Promise<() => void> {
  const { config } = c.get("deps");
  const tenantId = c.get("tenantId");
  if (!tenantId) throw new Error("a query slot is taken after requireScope");
  try {
    return await c.get("fairness").acquire(tenantId);
  } catch (e) {
    if (!(e instanceof LimitRefused)) throw e;
    if (e.reason === "tenant") {
      throw new ApiError(
        "rate_limited",
        `too many concurrent queries for this tenant (limit ${config.TENANT_QUERY_CONCURRENCY}); retry after the others finish`,
        { retryAfter: e.retryAfterS },
      );
    }
    throw new ApiError("unavailable", "the server is saturated with queries; retry shortly", {
      retryAfter: e.retryAfterS,
    });
  }
}
