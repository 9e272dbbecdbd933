import type { Config, Logger, ReportQueue } from "@bulwark/runtime";
import type { TokenScope } from "@bulwark/schema";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Redis } from "ioredis";
import type pg from "pg";
import type { IngestBudget } from "./fairness/ingest-budget.js";
import type { FairLimiter } from "./fairness/limiter.js";
import type { InspectPool } from "./ingest/scan/pool.js";

export interface IngestRuntime {
  budget: IngestBudget;
  threads: InspectPool;
}

import type { Metrics } from "./metrics.js";

/** Everything the app needs from the outside; tests pass real ones (never mocks of Postgres or Redis). */
export interface AppDeps {
  config: Config;
  /** createAppPool: every connection runs as bulwark_app */
  pool: pg.Pool;
  /** producer connection (fail fast) */
  redis: Redis;
  queue: ReportQueue;
  logger: Logger;
}

/** The caller behind a Bearer API token. */
export interface TokenAuth {
  tokenId: string;
  tenantId: string;
  scopes: TokenScope[];
}

export interface AppVariables {
  deps: AppDeps;
  metrics: Metrics;
  requestId: string;
  /** set by requireScope */
  auth: TokenAuth | undefined;
  /** the tenant for the request log line (token auth or a signing key) */
  tenantId: string | undefined;
  /** upload admission and the ingest threads (one per app) */
  ingest: IngestRuntime;
  /** the fair per-tenant limiter of expensive routes (one per app) */
  fairness: FairLimiter;
  /** overrides the logged route (404/405 have no matched route) */
  routeLabel: string | undefined;
}

export type AppEnv = { Variables: AppVariables };
export type Api = OpenAPIHono<AppEnv>;
