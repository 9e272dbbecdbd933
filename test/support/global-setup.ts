import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MIGRATIONS_DIR, runMigrations } from "@bulwark/runtime";
import pg from "pg";
import type { TestProject } from "vitest/node";

/**
 * Finds Postgres and Redis for the tests: TEST_DATABASE_URL / TEST_REDIS_URL, else testcontainers where a
 * Docker engine answers, else the local defaults (127.0.0.1:5432 user postgres, 127.0.0.1:6379).
 * Migrates a template database once per migration set; each test file clones it (see context.ts).
 */
declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    templateDb: string;
    redisUrl: string;
  }
}

const stops: (() => Promise<unknown>)[] = [];

function dockerAvailable(): boolean {
  return Boolean(process.env.DOCKER_HOST) || existsSync("/var/run/docker.sock");
}

async function fromContainers(): Promise<{ databaseUrl: string; redisUrl: string } | null> {
  if (!dockerAvailable()) return null;
  try {
    const { GenericContainer, Wait } = await import("testcontainers");
    const pgC = await new GenericContainer("postgres:15-alpine")
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: "trust" })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start();
    const redisC = await new GenericContainer("redis:7-alpine").withExposedPorts(6379).start();
    stops.push(
      () => pgC.stop(),
      () => redisC.stop(),
    );
    return {
      databaseUrl: `postgres://postgres@${pgC.getHost()}:${pgC.getMappedPort(5432)}/postgres`,
      redisUrl: `redis://${redisC.getHost()}:${redisC.getMappedPort(6379)}`,
    };
  } catch (e) {
    process.stderr.write(`testcontainers unavailable (${(e as Error).message}); using local services\n`);
    return null;
  }
}

function migrationsHash(): string {
  const h = createHash("sha256");
  for (const f of readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    h.update(f).update(readFileSync(join(MIGRATIONS_DIR, f)));
  }
  return h.digest("hex").slice(0, 12);
}

export default async function setup(project: TestProject) {
  let databaseUrl = process.env.TEST_DATABASE_URL;
  let redisUrl = process.env.TEST_REDIS_URL;
  if (!databaseUrl || !redisUrl) {
    const c = await fromContainers();
    databaseUrl ??= c?.databaseUrl ?? "postgres://postgres@127.0.0.1:5432/postgres";
    redisUrl ??= c?.redisUrl ?? "redis://127.0.0.1:6379";
  }
  const templateDb = `bulwark_tmpl_${migrationsHash()}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query("SELECT pg_advisory_lock(hashtext('bulwark-test-template'))");
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [templateDb]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${templateDb}_building`);
      const u = new URL(databaseUrl);
      u.pathname = `/${templateDb}_building`;
      try {
        await runMigrations(u.toString());
        await admin.query(`ALTER DATABASE ${templateDb}_building RENAME TO ${templateDb}`);
      } catch (e) {
        await admin.query(`DROP DATABASE IF EXISTS ${templateDb}_building`);
        throw e;
      }
    }
    // databases left behind by interrupted runs: only those created over two hours ago (the name carries the
    // time), so a run never drops a database another run on the same server has just cloned
    const stale = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname ~ '^bulwark_t_[0-9]+_[0-9a-f]+$' AND datname NOT IN (SELECT datname FROM pg_stat_activity WHERE datname IS NOT NULL)",
    );
    const cutoff = Date.now() / 1000 - 2 * 3600;
    for (const r of stale.rows) {
      if (Number(r.datname.split("_")[2]) < cutoff)
        await admin.query(`DROP DATABASE IF EXISTS "${r.datname}"`);
    }
  } finally {
    await admin.query("SELECT pg_advisory_unlock(hashtext('bulwark-test-template'))").catch(() => {});
    await admin.end();
  }
  project.provide("databaseUrl", databaseUrl);
  project.provide("templateDb", templateDb);
  project.provide("redisUrl", redisUrl);
  return async () => {
    for (const stop of stops) await stop();
  };
}
