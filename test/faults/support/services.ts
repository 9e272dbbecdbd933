import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);
const PG_BIN = process.env.BULWARK_PG_BIN ?? "/usr/lib/postgresql/15/bin";

/** A port nobody listens on now (bound to 0, then released): the fault services never use fixed ports. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Thrown from a waitFor check: stop waiting, the thing will not come up (it exited). */
export class GaveUp extends Error {}

async function waitFor(what: string, fn: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fn().catch((e) => {
      if (e instanceof GaveUp) throw e;
      return false;
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not come up within ${timeoutMs} ms`);
}

/** initdb refuses root: the cluster's files and processes belong to the postgres user when we are root. */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [cmd, args];
  return ["runuser", ["-u", "postgres", "--", cmd, ...args]];
}

export interface PgCluster {
  url: string;
  port: number;
  /** `pg_ctl restart -m fast`: every connection is cut, the server is back after a moment */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** pg_terminate_backend on every application connection (not our own) */
  terminateBackends(): Promise<number>;
  /** a superuser client, for assertions */
  query<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  destroy(): Promise<void>;
}

/** A Postgres 15 cluster of this test's own, on a free port, in a temporary directory (fsync off). */
export async function startPostgres(): Promise<PgCluster> {
  const dir = mkdtempSync(join(tmpdir(), "bulwark-faults-pg-"));
  const uid =
    process.getuid?.() === 0 ? Number((await run("id", ["-u", "postgres"])).stdout.trim()) : undefined;
  const gid =
    process.getuid?.() === 0 ? Number((await run("id", ["-g", "postgres"])).stdout.trim()) : undefined;
  if (uid !== undefined && gid !== undefined) chownSync(dir, uid, gid);
  const data = join(dir, "data");
  const [c1, a1] = asPostgres(join(PG_BIN, "initdb"), [
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "-E",
    "UTF8",
    "--no-sync",
  ]);
  await run(c1, a1);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const ctl = async (...args: string[]) => {
    const [c, a] = asPostgres(join(PG_BIN, "pg_ctl"), [
      "-D",
      data,
      "-l",
      join(dir, "log"),
      "-o",
      opts,
      ...args,
    ]);
    await run(c, a);
  };
  await ctl("start", "-w", "-t", "60");
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const admin = new pg.Pool({ connectionString: url, max: 2, application_name: "fault-harness" });
  admin.on("error", () => {});
  const query = async <T extends pg.QueryResultRow>(sql: string, params?: unknown[]) =>
    (await admin.query<T>(sql, params)).rows;
  return {
    url,
    port,
    query,
    async restart() {
      await ctl("restart", "-m", "fast", "-w", "-t", "60");
    },
    async stop() {
      await ctl("stop", "-m", "fast", "-w");
    },
    async terminateBackends() {
      const rows = await query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
         WHERE pid <> pg_backend_pid() AND application_name LIKE 'bulwark%'`,
      );
      return rows[0]?.n ?? 0;
    },
    async destroy() {
      await admin.end().catch(() => {});
      await ctl("stop", "-m", "immediate", "-w").catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RedisServer {
  url: string;
  /** kill the server and start an empty one on the same port (no persistence: everything is lost) */
  restartEmpty(downMs?: number): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** A redis-server of this test's own on a free port, without persistence. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const ping = () =>
    run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), "ping"]).then((r) => r.stdout.includes("PONG"));
  const start = async () => {
    child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: "ignore" },
    );
    await waitFor("redis-server", ping);
  };
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGKILL");
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    async restartEmpty(downMs = 0) {
      await stop();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    destroy: stop,
  };
}

export { waitFor };
