import { randomBytes } from "node:crypto";
import { runMigrations } from "@bulwark/runtime";
import Pg from "pg";
import { freePort, type PgCluster, type RedisServer, startPostgres, startRedis } from "./services.js";

export interface FaultEnv {
  pg: PgCluster;
  redis: RedisServer;
  databaseUrl: string;
  env: Record<string, string>;
  adminToken: string;
  /** a superuser query on the application database (past RLS), for seeding and assertions */
  sql<T extends Pg.QueryResultRow = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  destroy(): Promise<void>;
}

/**
 * A Postgres cluster and a redis-server of the suite's own (free ports, temporary directories), migrated,
 * and the environment the API and workers run with: short maintenance period and sweep grace and a short
 * worker lock, so recovery happens within the test's time; everything else at its default.
 */
export async function createFaultEnv(overrides: Record<string, string> = {}): Promise<FaultEnv> {
  const pg = await startPostgres();
  const redis = await startRedis();
  await pg.query("CREATE DATABASE bulwark");
  const databaseUrl = pg.url.replace(/\/postgres$/, "/bulwark");
  await runMigrations(databaseUrl);
  const adminToken = randomBytes(24).toString("hex");
  const owner = new Pg.Pool({ connectionString: databaseUrl, max: 2, application_name: "fault-harness" });
  owner.on("error", () => {});
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    ADMIN_TOKEN: adminToken,
    SECRETS_KEY: randomBytes(32).toString("base64"),
    PORT: String(await freePort()),
    // every worker process its own metrics port (two run at once)
    METRICS_PORT: "0",
    LOG_LEVEL: "info",
    QUEUE_PREFIX: `faults-${randomBytes(4).toString("hex")}`,
    MAINTENANCE_INTERVAL_MS: "2000",
    SWEEP_GRACE_S: "3",
    WORKER_LOCK_MS: "4000",
    RATE_LIMIT_CLUSTER_PER_MIN: "10000",
    RATE_LIMIT_TENANT_PER_MIN: "10000",
    ...overrides,
  };
  return {
    pg,
    redis,
    databaseUrl,
    env,
    adminToken,
    sql: async (text, params) => (await owner.query(text, params)).rows,
    async destroy() {
      await owner.end().catch(() => {});
      await redis.destroy();
      await pg.destroy();
    },
  };
}
