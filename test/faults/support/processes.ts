import { type ChildProcess, spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { GaveUp, waitFor } from "./services.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

export interface Proc {
  name: string;
  child: ChildProcess;
  /** every log line (stdout JSON + stderr) */
  lines: string[];
  /** set when the process exited without being asked to (crash, unhandled error) */
  unexpectedExit: { code: number | null; signal: string | null } | null;
  /** SIGKILL, counted as intended */
  kill9(): Promise<void>;
  /** SIGTERM and wait (graceful shutdown) */
  stop(): Promise<void>;
}

/**
 * The API or the worker as a real child process (`node --import tsx …`, as `npm run start:api|start:worker`),
 * with the given environment. Exits we did not cause are recorded: the suite asserts there are none.
 */
export function startProcess(
  kind: "api" | "worker",
  env: Record<string, string>,
  name: string = kind,
  nodeArgs: string[] = [],
): Proc {
  const entry = kind === "api" ? "apps/api/src/index.ts" : "apps/worker/src/main.ts";
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", entry], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const p: Proc = {
    name,
    child,
    lines: [],
    unexpectedExit: null,
    async kill9() {
      expected = true;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      expected = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
  let expected = false;
  const collect = (data: Buffer) => {
    for (const line of data.toString("utf8").split("\n")) if (line) p.lines.push(line);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  child.on("exit", (code, signal) => {
    if (!expected) p.unexpectedExit = { code, signal };
  });
  return p;
}

/** Start the API and wait until it listens; returns its base URL (PORT must be set in env). */
export async function startApiProcess(
  env: Record<string, string>,
  name = "api",
  /** node's own flags (a benchmark's --cpu-prof) */
  nodeArgs: string[] = [],
): Promise<{ proc: Proc; url: string }> {
  const proc = startProcess("api", env, name, nodeArgs);
  const url = `http://127.0.0.1:${env.PORT}`;
  await waitFor(
    `${name} /healthz`,
    async () => {
      if (proc.unexpectedExit) throw new GaveUp(`${name} exited: ${proc.lines.slice(-5).join("\n")}`);
      return (await fetch(`${url}/healthz`)).ok;
    },
    60_000,
  );
  return { proc, url };
}

export async function startWorkerProcess(env: Record<string, string>, name = "worker"): Promise<Proc> {
  const proc = startProcess("worker", env, name);
  await waitFor(
    `${name} start`,
    async () => {
      if (proc.unexpectedExit) throw new GaveUp(`${name} exited: ${proc.lines.slice(-5).join("\n")}`);
      return proc.lines.some((l) => l.includes('"worker started"'));
    },
    60_000,
  );
  return proc;
}
