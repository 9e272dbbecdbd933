import { randomBytes } from "node:crypto";

/**
 * What every benchmark's API or worker is configured with: its database, Redis, fresh secrets, a queue prefix
 * of its own (hash-tagged, as a Redis Cluster needs) and warn-level logs. Each bench spreads its own settings
 * (port, limits, log level) after it.
 */
export function benchEnv(
  databaseUrl: string,
  redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    ADMIN_TOKEN: randomBytes(24).toString("hex"),
    SECRETS_KEY: randomBytes(32).toString("base64"),
    QUEUE_PREFIX: `{bench-${randomBytes(4).toString("hex")}}`,
    LOG_LEVEL: "warn",
  };
}
