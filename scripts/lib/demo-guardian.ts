/**
 * What keeps `npm run demo` from leaving anything behind: a guardian process (reaper.mjs) that stops every
 * service the demo started once the demo's process is gone, however it went; a lock naming the demo that owns
 * the data directory; and the check of a port before a service is started on it, so a taken port is one line
 * naming the setting to change instead of a stack trace.
 */
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** An error the demo reports as one line (no stack): what happened and the setting that changes it. */
export class DemoError extends Error {}

/** `sh -c` script: wait for one line on stdin, then exec the command (`$0`, `$@`); exit 97 on EOF first */
export const SERVICE_GATE = 'IFS= read -r go || exit 97; exec "$0" "$@"';

export class Guardian {
  private readonly child: ChildProcess;

  /** `label` only names the guardian in `ps` (the demo's data directory) */
  constructor(label: string) {
    const reaper = join(dirname(fileURLToPath(import.meta.url)), "reaper.mjs");
    // detached: its own process group, so a Ctrl-C in the terminal (SIGINT to the foreground group) or a
    // closed terminal leaves it to do its job; stdin is its lifeline to this process
    this.child = spawn(process.execPath, [reaper, label], {
      detached: true,
      stdio: ["pipe", "ignore", "ignore"],
    });
    this.child.unref();
    const stdin = this.child.stdin as Socket | null;
    stdin?.on("error", () => {});
    // the pipe must not keep this process alive on its own
    stdin?.unref();
  }

  /** From now on the service at `pid` is stopped with `signal` if this process goes away first. */
  track(pid: number | undefined, signal: "SIGTERM" | "SIGINT"): void {
    if (pid) this.child.stdin?.write(`start ${pid} ${signal}\n`);
  }

  untrack(pid: number | undefined): void {
    if (pid) this.child.stdin?.write(`stop ${pid}\n`);
  }

  /**
   * Start a service that this guardian stops with `signal` if the demo dies. `track()` right after `spawn()`
   * leaves a window: a SIGKILL between the two left a redis-server running with nobody to stop it. So the
   * service starts behind a gate: a shell that waits for one line on its stdin, then execs the service (same
   * pid). The line is written only once the pid is registered; if the demo dies first, the shell reads EOF
   * and exits without starting anything.
   */
  spawnService(
    command: string,
    args: string[],
    options: Omit<SpawnOptions, "stdio">,
    signal: "SIGTERM" | "SIGINT",
  ): ChildProcess {
    const child = spawn("/bin/sh", ["-c", SERVICE_GATE, command, ...args], {
      ...options,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.track(child.pid, signal);
    child.stdin?.on("error", () => {});
    child.stdin?.end("go\n");
    return child;
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The command line of a process, or "" (not Linux, or gone). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/**
 * One demo per data directory: a second one would start a second Postgres on the same files. A lock left
 * by a demo that is gone is taken over.
 */
export function lockDataDir(dataDir: string, setting: string): () => void {
  const path = join(dataDir, "demo.pid");
  let owner = 0;
  try {
    owner = Number(readFileSync(path, "utf8").trim());
  } catch {
    // no lock
  }
  if (owner && owner !== process.pid && alive(owner) && /node|tsx/.test(commandLine(owner) || "node")) {
    throw new DemoError(
      `another demo (pid ${owner}) is running on ${dataDir}: stop it (Ctrl-C in its terminal, or kill ${owner}), ` +
        `or set ${setting} to another directory`,
    );
  }
  writeFileSync(path, `${process.pid}\n`);
  return () => rmSync(path, { force: true });
}

/** Whether 127.0.0.1:port can be bound now. */
export function portFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Throws the one-line error for a taken port. */
export async function requirePort(port: number, what: string, setting: string, alternative?: string) {
  if (port === 0 || (await portFree(port))) return;
  throw new DemoError(portTaken(port, what, setting, alternative));
}

export function portTaken(port: number, what: string, setting: string, alternative?: string): string {
  return (
    `port ${port} for ${what} is taken: set ${setting} to a free port` +
    (alternative ? `, or ${alternative}` : "") +
    " (another `npm run demo` still running? stop it first)"
  );
}

/** A port setting: a whole number 0-65535 or the default. */
export function portSetting(env: NodeJS.ProcessEnv, name: string, dflt: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new DemoError(`${name} must be a port number from 0 to 65535, not "${raw}"`);
  return n;
}
