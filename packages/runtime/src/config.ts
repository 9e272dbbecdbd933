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
  /** days of posture history kept (one point per cluster and UTC day); at least 400 */
  POSTURE_HISTORY_DAYS: z.coerce.number().int().min(400).max(3650).default(800),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /**
   * How long a worker's hold on a job lasts without renewal: a worker that dies mid-job loses it after this
   * long and another worker takes the job over (BullMQ stalled-job recovery checks at the same interval).
   */
  WORKER_LOCK_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  /** prefix of BullMQ keys in Redis; tests give each file its own */
  QUEUE_PREFIX: z.string().min(1).default("bulwark"),
  /** outgoing mail (email notification channels): smtp://user:pass@host:587 or smtps://…:465; unset = no email */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional(),
  /** the From of outgoing mail, e.g. "Bulwark <bulwark@example.com>"; required with SMTP_URL */
  MAIL_FROM: z
    .string()
    .regex(
      /^(?:[^<>@\s][^<>]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/,
      "must be an address or Name <address>",
    )
    .optional(),
  /** the API's public base URL, for links in summaries; default http://localhost:PORT */
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: "must be an http(s):// URL" }).optional(),
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
  const problems = crossFieldProblems(parsed.data);
  if (problems.length > 0) throw new ConfigError(problems);
  return parsed.data;
}

/** Variables that only make sense together. */
function crossFieldProblems(c: Config): string[] {
  const out: string[] = [];
  if (c.SMTP_URL && !c.MAIL_FROM)
    out.push("MAIL_FROM: required when SMTP_URL is set (the From of outgoing mail)");
  return out;
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
