import { z } from "zod";

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

export const configSchema = z
  .object({
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
    /** prefix of BullMQ keys in Redis; tests give each file its own */
    QUEUE_PREFIX: z.string().min(1).default("bulwark"),
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
    MAIL_FROM: optionalString,
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
  })
  .superRefine((c, ctx) => {
    if (c.SMTP_URL && !c.MAIL_FROM) {
      ctx.addIssue({ code: "custom", path: ["MAIL_FROM"], message: "required when SMTP_URL is set" });
    }
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
