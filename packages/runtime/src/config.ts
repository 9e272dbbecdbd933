import { z } from "zod";
import { hashTag, isRedisCluster } from "./redis.js";

const base64Key = z
  .string()
  .refine(
    (s) => Buffer.from(s, "base64").length === 32,
    "must be 32 random bytes, base64-encoded (openssl rand -base64 32)",
  );

const flag = z
  .enum(["true", "false", "1", "0"], { error: "must be true or false" })
  .default("false")
  .transform((v) => v === "true" || v === "1");

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === "" ? undefined : v));

/** Every variable, without the rules that relate two of them (so a part can be picked: `configFields.pick`). */
export const configFields = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }),
  /** one redis:// URL, or the comma-separated seed nodes of a Redis Cluster */
  REDIS_URL: z
    .string()
    .min(1)
    .refine(
      (v) => v.split(",").every((u) => z.url({ protocol: /^rediss?$/ }).safeParse(u.trim()).success),
      "must be a redis:// URL, or several separated by commas",
    ),
  /** talk to a Redis Cluster (implied when REDIS_URL lists several nodes) */
  REDIS_CLUSTER: flag,
  ADMIN_TOKEN: z
    .string()
    .min(24, "must be at least 24 characters (a random secret for the platform operator)"),
  SECRETS_KEY: base64Key,
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** the address the API listens on; unset: every interface (a container's port) */
  HOST: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** days the raw report payload is kept; findings and report metadata are kept regardless */
  REPORT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /**
   * Raw report payloads go to this S3-compatible bucket instead of Postgres: a path-style URL of the endpoint
   * and the bucket (https://s3.eu-west-1.amazonaws.com/bulwark-payloads). Unset:
   * payloads are kept in the database (bytea), the embedded default.
   */
  OBJECT_STORE_URL: optionalString.pipe(
    z.url({ protocol: /^https?$/, error: "must be an http(s):// URL" }).optional(),
  ),
  OBJECT_STORE_REGION: z.string().min(1).default("us-east-1"),
  OBJECT_STORE_ACCESS_KEY_ID: optionalString,
  OBJECT_STORE_SECRET_ACCESS_KEY: optionalString,
  /** uploads per minute per cluster / per tenant before 429 */
  RATE_LIMIT_CLUSTER_PER_MIN: z.coerce.number().int().min(1).default(120),
  RATE_LIMIT_TENANT_PER_MIN: z.coerce.number().int().min(1).default(1200),
  /** days of posture history kept (one point per cluster and UTC day); at least 400 */
  POSTURE_HISTORY_DAYS: z.coerce.number().int().min(400).max(3650).default(800),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /**
   * How long a worker's hold on a job lasts without renewal: a worker that dies mid-job loses it after this
   * long and another worker takes the job over (BullMQ stalled-job recovery checks at the same interval).
   */
  WORKER_LOCK_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  /**
   * Snapshots of one (cluster, source, scope) apply in collectedAt order: a report waits while an older one of
   * the same scope, accepted within this window, is still unfinished (e.g. held by a worker that crashed), so
   * that older one is applied rather than superseded. Past the window it applies regardless.
   */
  REPORT_ORDER_WAIT_MS: z.coerce.number().int().min(0).max(3_600_000).default(300_000),
  /** the worker's /healthz, /readyz and /metrics port (0: any free port) */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** expensive read routes (lists, posture, …) running at once per tenant, per API process, before 429 */
  TENANT_QUERY_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(3),
  /** expensive read routes running at once in all, per API process (keep below DB_POOL_MAX) */
  QUERY_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(6),
  /** how long a request waits for a free query slot when all are taken, before 503 */
  QUERY_QUEUE_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  /** statement_timeout of expensive read routes (ms); past it the query is cancelled and answered 504 */
  QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** statement_timeout of each batch an export reads (ms; the first may sort the whole result) */
  EXPORT_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(120_000),
  /** threads that decompress, hash and scan upload bodies (off the event loop) */
  INGEST_THREADS: z.coerce.number().int().min(1).max(32).default(2),
  /** uploads of one tenant in flight at once, per API process, before 429 */
  INGEST_TENANT_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(4),
  /** uploads in flight at once, per API process, before 503 */
  INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(16),
  /** memory for uploads in flight, per API process, in MiB (each costs 2 × its wire size + 4 MiB) before 503 */
  INGEST_MEMORY_MB: z.coerce.number().int().min(72).max(65_536).default(256),
  /** connections of the API's Postgres pool */
  DB_POOL_MAX: z.coerce.number().int().min(2).max(200).default(10),
  /** period of the maintenance sweep (re-enqueue lost jobs, purge nonces and payloads) */
  MAINTENANCE_INTERVAL_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(15_000),
  /** a report unfinished for longer than this is checked against the queue by the sweep */
  SWEEP_GRACE_S: z.coerce.number().int().min(1).max(3_600).default(15),
  /**
   * Prefix of every Redis key (queues, rate limits, throttles, schedules); tests give each file its own. The
   * `{…}` hash tag puts every key on one Redis Cluster slot, as BullMQ's Lua scripts and our MULTIs require.
   */
  QUEUE_PREFIX: z.string().min(1).default("{bulwark}"),
  /**
   * The URL people reach the API at (https://bulwark.example.com): the origin of links in e-mails (invitations,
   * sign-in links), of the OIDC redirect URI and the one cookie-authenticated writes must come from. Unset: the
   * origin of each request (fine on a laptop; set it behind a proxy).
   */
  PUBLIC_URL: optionalString.pipe(
    z.url({ protocol: /^https?$/, error: "must be an http(s):// URL" }).optional(),
  ),
  /** smtp://user:pass@host:587 or smtps://…:465; unset: no e-mail (invitations return their link instead) */
  SMTP_URL: optionalString.pipe(
    z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional(),
  ),
  /** the From of every e-mail, e.g. `Bulwark <noreply@example.com>`; required with SMTP_URL */
  MAIL_FROM: optionalString.pipe(
    z
      .string()
      .regex(
        /^(?:[^<>@\s][^<>]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/,
        "must be an address or Name <address>",
      )
      .optional(),
  ),
  /** a session unused for this long ends */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(1440).default(60),
  /** a session ends this long after sign-in, used or not */
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  /** audit log entries older than this are deleted by the maintenance sweep (never fewer than 30 days) */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(30).max(3650).default(365),
  /** failed password sign-ins per account / per client IP within LOGIN_THROTTLE_WINDOW_MINUTES before 429 */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(5),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).max(100_000).default(50),
  LOGIN_THROTTLE_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  /** how long an invitation link stays valid */
  INVITATION_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(72),
  /**
   * Reverse proxies in front of the API that append to X-Forwarded-For: the client address is the entry that
   * many from the right. 0: the socket's peer address (no proxy header is believed).
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * Development and tests only: let tenants' OIDC issuers be plain http and on loopback or private addresses.
   * Off, an issuer must be https and resolve to a public address (an admin cannot point the server at internal
   * services).
   */
  OIDC_ALLOW_INSECURE_ISSUERS: flag,
  /**
   * Notification channel URLs may point at loopback, private, link-local or otherwise internal addresses, and
   * use plain http. Off by default (server-side request forgery); for tests and private installs.
   */
  NOTIFY_ALLOW_PRIVATE_NETWORKS: z
    .union([z.boolean(), z.enum(["true", "false", "1", "0"])], { error: "must be true or false" })
    .default(false)
    .transform((v) => v === true || v === "true" || v === "1"),
  /** a cluster with no report for this long is listed as silent in summaries */
  NOTIFY_SILENT_AFTER_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(26),
  /** attempts per delivery before it fails (retries with exponential backoff and full jitter) */
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** the first retry's upper bound; doubles per attempt, capped at one hour */
  NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  /** failed deliveries in a row that disable a rule (with the reason on the rule) */
  NOTIFY_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).max(100).default(3),
  /** one send attempt's limit (connect, SMTP dialogue, HTTP request) */
  NOTIFY_SEND_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
});

export const configSchema = configFields.superRefine((c, ctx) => {
  if (isRedisCluster(c.REDIS_URL, c.REDIS_CLUSTER) && !hashTag(c.QUEUE_PREFIX)) {
    ctx.addIssue({
      code: "custom",
      path: ["QUEUE_PREFIX"],
      message: "needs a {hash tag} with Redis Cluster",
    });
  }
  if (c.SMTP_URL && !c.MAIL_FROM) {
    ctx.addIssue({ code: "custom", path: ["MAIL_FROM"], message: "required when SMTP_URL is set" });
  }
  for (const key of ["OBJECT_STORE_ACCESS_KEY_ID", "OBJECT_STORE_SECRET_ACCESS_KEY"] as const) {
    if (c.OBJECT_STORE_URL && !c[key])
      ctx.addIssue({ code: "custom", path: [key], message: "required when OBJECT_STORE_URL is set" });
  }
});
export type Config = z.infer<typeof configSchema>;

/** What each variable must be, as the end of a sentence that names it. */
const NEEDS: Partial<Record<keyof Config, string>> = {
  DATABASE_URL:
    "it must be a postgres:// URL of the database, such as postgres://bulwark:secret@db:5432/bulwark",
  REDIS_URL:
    "it must be a redis:// or rediss:// URL of the Redis that holds the queues, such as redis://redis:6379, or the comma-separated nodes of a Redis Cluster",
  ADMIN_TOKEN: "it must be a random secret of at least 24 characters (openssl rand -base64 24)",
  SECRETS_KEY: "it must be 32 random bytes in base64 (openssl rand -base64 32)",
  PORT: "it must be a whole number from 0 to 65535",
  HOST: "it must be an address of this machine to listen on, such as 127.0.0.1 or 0.0.0.0",
  LOG_LEVEL: "it must be one of fatal, error, warn, info, debug, trace or silent",
  REPORT_RETENTION_DAYS: "it must be a whole number of days from 1 to 3650",
  RATE_LIMIT_CLUSTER_PER_MIN: "it must be a whole number of uploads per minute, at least 1",
  RATE_LIMIT_TENANT_PER_MIN: "it must be a whole number of uploads per minute, at least 1",
  WORKER_CONCURRENCY: "it must be a whole number from 1 to 64",
  WORKER_LOCK_MS: "it must be a whole number of milliseconds from 500 to 600000",
  REPORT_ORDER_WAIT_MS: "it must be a whole number of milliseconds from 0 to 3600000",
  METRICS_PORT: "it must be a whole number from 0 to 65535",
  QUEUE_PREFIX:
    "it must be a non-empty prefix for the keys in Redis, with a hash tag such as {bulwark} when Redis is a cluster",
  REDIS_CLUSTER: "it must be true or false",
  POSTURE_HISTORY_DAYS: "it must be a whole number of days from 400 to 3650",
  PUBLIC_URL: "it must be the http(s):// URL people reach the API at, such as https://bulwark.example.com",
  SMTP_URL: "it must be an smtp:// or smtps:// URL of the mail server, such as smtp://user:pass@mail:587",
  MAIL_FROM:
    "it must be the sender of every e-mail, such as Bulwark <noreply@example.com>, when SMTP_URL is set",
  OIDC_ALLOW_INSECURE_ISSUERS: "it must be true or false",
  OBJECT_STORE_URL:
    "it must be the http(s):// path-style URL of the bucket, such as https://s3.eu-west-1.amazonaws.com/bulwark-payloads",
  OBJECT_STORE_ACCESS_KEY_ID: "it must be the access key id of the object store when OBJECT_STORE_URL is set",
  OBJECT_STORE_SECRET_ACCESS_KEY:
    "it must be the secret access key of the object store when OBJECT_STORE_URL is set",
};

export class ConfigError extends Error {
  /** one sentence per bad variable, naming it; values are never repeated (they may be secrets) */
  constructor(public readonly problems: string[]) {
    super(`the configuration is invalid:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  }
}

/** Parse `env` with a schema of variables (the whole configuration, or a part of it); ConfigError otherwise. */
export function parseEnv<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv): T {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const i of parsed.error.issues) {
    const key = String(i.path[0] ?? "(environment)");
    if (seen.has(key)) continue;
    seen.add(key);
    const raw = env[key];
    const state = raw === undefined || raw === "" ? "is not set" : "is set but not valid";
    problems.push(`${key} ${state}: ${NEEDS[key as keyof Config] ?? i.message}.`);
  }
  throw new ConfigError(problems);
}

/** Parse the environment once, at start-up. Never read process.env anywhere else. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnv(configSchema, env);
}

/** For entry points: print each bad variable and exit 1. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}
