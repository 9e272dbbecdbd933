import type { Config, Logger, Mailer, ObjectStore, RedisClient, ReportQueue } from "@bulwark/runtime";
import type { Role, TokenScope } from "@bulwark/schema";
import type { OpenAPIHono } from "@hono/zod-openapi";
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
  redis: RedisClient;
  queue: ReportQueue;
  logger: Logger;
  /** the shared e-mail channel; undefined: created from the configuration (null when SMTP_URL is unset) */
  mailer?: Mailer | null;
  /** where raw payloads go; undefined: created from the configuration (null when OBJECT_STORE_URL is unset) */
  objectStore?: ObjectStore | null;
}

/**
 * The caller of a tenant route: a Bearer API token, or a signed-in member through the session cookie. A
 * session's scopes are its role's (ROLE_SCOPES); a user token's are its own scopes within its user's role.
 */
export interface TokenAuth {
  kind: "token" | "session";
  tenantId: string;
  scopes: TokenScope[];
  /** who acts, for records such as `createdBy`: the token's id (tok_…), or the user's id (usr_…) for a session */
  tokenId: string;
  /** the same as tokenId; the name to prefer in new code */
  actorId: string;
  /** the user's e-mail, or the token's name */
  actorLabel: string;
  /** the user (a session, or a token that belongs to a user); null for a service token */
  userId: string | null;
  /** the user's role in the tenant; null for a service token */
  role: Role | null;
  /** the session's id when cookie-authenticated */
  sessionId: string | null;
  /** a session opened through a tenant's SSO or a one-time link: it may act in that tenant only */
  sessionBound: boolean;
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
  /** set by requireAdmin: the platform operator is calling */
  operator: boolean | undefined;
  /** what the audit entry of this write names as its target, when a handler knows better than the path */
  auditTarget: string | undefined;
}

export type AppEnv = { Variables: AppVariables };
export type Api = OpenAPIHono<AppEnv>;
