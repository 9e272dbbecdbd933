import { z } from "zod";

const base64Key = z
  .string()
  .refine(
    (s) => Buffer.from(s, "base64").length === 32,
    "must be 32 random bytes, base64-encoded (openssl rand -base64 32)",
  );

export const configSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: "must be a redis:// URL" }),
  ADMIN_TOKEN: z
    .string()
    .min(24, "must be at least 24 characters (a random secret for the platform operator)"),
  SECRETS_KEY: base64Key,
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** days the raw report payload is kept; findings and report metadata are kept regardless */
  REPORT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** uploads per minute per cluster / per tenant before 429 */
  RATE_LIMIT_CLUSTER_PER_MIN: z.coerce.number().int().min(1).default(120),
  RATE_LIMIT_TENANT_PER_MIN: z.coerce.number().int().min(1).default(1200),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /**
   * How long a worker's hold on a job lasts without renewal: a worker that dies mid-job loses it after this
   * long and another worker takes the job over (BullMQ stalled-job recovery checks at the same interval).
   */
  WORKER_LOCK_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  /** expensive read routes (lists, posture, …) running at once per tenant, per API process, before 429 */
  TENANT_QUERY_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(3),
  /** expensive read routes running at once in all, per API process (keep below DB_POOL_MAX) */
  QUERY_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(6),
  /** how long a request waits for a free query slot when all are taken, before 503 */
  QUERY_QUEUE_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  /** statement_timeout of expensive read routes (ms); past it the query is cancelled and answered 504 */
  QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
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
  /** prefix of BullMQ keys in Redis; tests give each file its own */
  QUEUE_PREFIX: z.string().min(1).default("bulwark"),
});
export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Parse the environment once, at start-up. Never read process.env anywhere else. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "(env)"}: ${i.message}`));
  }
  return parsed.data;
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
