/**
 * `npm run demo` as a new user runs it: a taken port is one line naming the setting, a second run reuses the
 * first one's tenant, and nothing the demo started (redis-server, Postgres, its guardian) outlives it,
 * whichever process gets the signal: npm, or the demo's node process (SIGTERM, SIGINT, even SIGKILL).
 * Each run has a data directory and ports of its own; most use the test database instead of initdb.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";

const root = resolve(import.meta.dirname, "../..");
let ctx: TestContext;
const dirs: string[] = [];
/** every demo started, so a failed assertion never leaves one running */
const runs: Run[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  for (const run of runs.filter((r) => r.child.exitCode === null && r.child.signalCode === null)) {
    run.child.kill("SIGTERM"); // npm forwards it to the demo, which stops what it started
    await Promise.race([run.exit, new Promise((r) => setTimeout(r, 20_000))]);
  }
  await ctx.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function occupy(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { port: (server.address() as { port: number }).port, server };
}

/**
 * The demo's processes: its guardian and Postgres name the data directory on their command line; redis-server
 * rewrites its title to `redis-server 127.0.0.1:<port>`.
 */
function processesOf(run: Run): string[] {
  const marks = [run.dataDir, `redis-server 127.0.0.1:${run.redisPort}`];
  const out: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      if (marks.some((m) => cmd.includes(m))) out.push(`${pid} ${cmd.trim()}`);
    } catch {
      // gone
    }
  }
  return out;
}

async function until(what: string, ok: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Run {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
  dataDir: string;
  redisPort: string | undefined;
}

function demo(env: Record<string, string | undefined>, dataDir?: string): Run {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), "bulwark-demo-test-"));
  chmodSync(dir, 0o755); // as root, Postgres runs as the postgres user, which must reach its directory
  if (!dataDir) dirs.push(dir);
  const { DATABASE_URL: _d, REDIS_URL: _r, PORT: _p, HOST: _h, ...base } = process.env;
  const child = spawn("npm", ["run", "--silent", "demo"], {
    cwd: root,
    env: { ...base, BULWARK_DEMO_DATA_DIR: dir, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (b) => {
    out += b;
  });
  child.stderr?.on("data", (b) => {
    err += b;
  });
  const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const run: Run = {
    child,
    out: () => out,
    err: () => err,
    exit,
    dataDir: dir,
    redisPort: env.BULWARK_DEMO_REDIS_PORT,
  };
  runs.push(run);
  return run;
}

async function ports() {
  return {
    PORT: String(await freePort()),
    BULWARK_DEMO_PG_PORT: String(await freePort()),
    BULWARK_DEMO_REDIS_PORT: String(await freePort()),
  };
}

describe("npm run demo", () => {
  it("prints its first line at once; a taken API port is one line naming PORT, and nothing is started", async () => {
    const taken = await occupy();
    const started = Date.now();
    const run = demo({ ...(await ports()), PORT: String(taken.port) });
    let firstLineAfter = 0;
    await until(
      "the first line",
      () => {
        if (run.out().includes("Bulwark demo")) firstLineAfter = Date.now() - started;
        return firstLineAfter > 0;
      },
      10_000,
    );
    // npm itself takes a few hundred milliseconds; the demo prints before it loads anything
    expect(firstLineAfter).toBeLessThan(2_000);
    expect(await run.exit).toBe(1);
    taken.server.close();
    expect(run.err().trim().split("\n")).toEqual([
      expect.stringMatching(new RegExp(`^demo: port ${taken.port} for the demo's API is taken: set PORT`)),
    ]);
    expect(run.out()).not.toContain("starting");
    expect(processesOf(run)).toEqual([]);
  });

  it("a taken Redis port names BULWARK_DEMO_REDIS_PORT and leaves nothing behind", async () => {
    const taken = await occupy();
    const run = demo({
      ...(await ports()),
      DATABASE_URL: ctx.databaseUrl,
      BULWARK_DEMO_REDIS_PORT: String(taken.port),
    });
    expect(await run.exit).toBe(1);
    taken.server.close();
    const lines = run.err().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      `port ${taken.port} for the demo's Redis is taken: set BULWARK_DEMO_REDIS_PORT`,
    );
    await until("no process left", () => processesOf(run).length === 0, 10_000);
  });

  // the signal arrives at a different moment each time: while the app still loads (services just started),
  // and with everything running (API, worker, services)
  for (const [target, signal, moment] of [
    ["npm", "SIGTERM", "services"],
    ["node", "SIGKILL", "services"],
    ["npm", "SIGINT", "running"],
  ] as const) {
    it(`${signal} to ${target} (${moment}) stops the demo and everything it started`, async () => {
      const run = demo({ ...(await ports()), DATABASE_URL: ctx.databaseUrl });
      if (moment === "running") await until("the API", () => run.out().includes("API listening"), 40_000);
      await until("redis-server", () => processesOf(run).some((p) => p.includes("redis-server")), 40_000);
      // npm runs `exec node scripts/demo.mjs`: its one child is the demo's node process
      const node = Number(
        readFileSync(`/proc/${run.child.pid}/task/${run.child.pid}/children`, "utf8").trim().split(" ")[0],
      );
      expect(readFileSync(`/proc/${node}/cmdline`, "utf8")).toContain("scripts/demo.mjs");
      process.kill(target === "npm" ? (run.child.pid as number) : node, signal);
      await run.exit;
      await until(
        `no process left (${processesOf(run).join("; ")})`,
        () => processesOf(run).length === 0,
        15_000,
      );
      expect(run.err()).not.toMatch(/\n\s+at /); // no stack trace
    });
  }

  it("runs on embedded Postgres, and a second run reuses the tenant", async () => {
    const env = { ...(await ports()), BULWARK_DEMO_EXIT: "1" };
    const first = demo(env);
    expect(await first.exit, first.err()).toBe(0);
    expect(first.out()).toContain("initialising embedded Postgres");
    expect(first.out()).toContain("created the demo tenant");
    expect(first.out()).toMatch(/Open findings: [1-9]/);
    await until("no process left", () => processesOf(first).length === 0, 15_000);
    const second = demo(env, first.dataDir);
    expect(await second.exit, second.err()).toBe(0);
    expect(second.out()).not.toContain("initialising");
    expect(second.out()).toContain("reusing the demo tenant");
    await until("no process left", () => processesOf(first).length === 0, 15_000);
  }, 120_000);

  it("npm run start:api with a taken PORT says so in one line and exits 1", async () => {
    const taken = await occupy();
    const child = spawn("npm", ["run", "--silent", "start:api"], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: ctx.databaseUrl,
        REDIS_URL: ctx.config.REDIS_URL,
        ADMIN_TOKEN: ctx.config.ADMIN_TOKEN,
        SECRETS_KEY: ctx.config.SECRETS_KEY,
        HOST: "127.0.0.1",
        PORT: String(taken.port),
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr?.on("data", (b) => {
      err += b;
    });
    const code = await new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
    taken.server.close();
    expect(code).toBe(1);
    expect(err.trim().split("\n")).toEqual([
      `bulwark api: cannot listen on 127.0.0.1 port ${taken.port}: the port is taken; set PORT to a free port`,
    ]);
  });
});
