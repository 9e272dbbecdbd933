import { randomBytes } from "node:crypto";
import { type Config, createAppPool, createLogger, createRedis, loadConfig } from "@bulwark/runtime";
import type { Redis } from "ioredis";
import pg from "pg";
import { inject } from "vitest";

export interface TestContext {
  config: Config;
  /** the pool the application uses (runs as bulwark_app) */
  pool: pg.Pool;
  /** a superuser/owner pool for assertions that must look past RLS */
  ownerPool: pg.Pool;
  redis: Redis;
  databaseUrl: string;
  close(): Promise<void>;
}

/**
 * A fresh database cloned from the migrated template and a queue prefix of its own, per test file,
 * so files run in parallel and never depend on each other's rows.
 */
export async function createTestContext(overrides: Partial<Config> = {}): Promise<TestContext> {
  const base = inject("databaseUrl");
  const template = inject("templateDb");
  const redisUrl = inject("redisUrl");
  const suffix = randomBytes(5).toString("hex");
  // the creation time in the name lets a later run drop only databases old enough to be abandoned
  const dbName = `bulwark_t_${Math.floor(Date.now() / 1000)}_${suffix}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName} TEMPLATE ${template}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${dbName}`;
  const databaseUrl = u.toString();
  // the schema's defaults for everything a test does not set, so a new variable needs no change here
  const config: Config = {
    ...loadConfig({
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      ADMIN_TOKEN: `admin-${randomBytes(16).toString("hex")}`,
      SECRETS_KEY: randomBytes(32).toString("base64"),
      PORT: "0",
      METRICS_PORT: "0",
      LOG_LEVEL: "silent",
      RATE_LIMIT_CLUSTER_PER_MIN: "1000",
      RATE_LIMIT_TENANT_PER_MIN: "10000",
      QUEUE_PREFIX: `bwtest-${suffix}`,
      OIDC_ALLOW_INSECURE_ISSUERS: "true",
    }),
    ...overrides,
  };
  const pool = createAppPool(databaseUrl, { max: 5 });
  const ownerPool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  // pool.end() resolves before its sockets are gone; the DROP … WITH (FORCE) below may then terminate one,
  // and an unheard pool 'error' would crash the test run
  ownerPool.on("error", () => {});
  // the tests' Redis is one standalone server (one URL, no REDIS_CLUSTER): createRedis makes a plain client
  const redis = createRedis(redisUrl, "worker") as Redis;
  return {
    config,
    pool,
    ownerPool,
    redis,
    databaseUrl,
    async close() {
      await pool.end();
      await ownerPool.end();
      // remove this file's queue keys; other files' prefixes are untouched
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${config.QUEUE_PREFIX}:*`, "COUNT", 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== "0");
      redis.disconnect();
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await a.end();
    },
  };
}

export const silentLogger = createLogger("silent");
