/**
 * The gate `npm run demo` starts its services behind: a service runs only once the guardian knows its pid, so a
 * demo killed in between leaves nothing running (the SIGKILL case of demo.test.ts, without its timing).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Guardian, SERVICE_GATE } from "../../scripts/lib/demo-guardian.js";

const dir = mkdtempSync(join(tmpdir(), "bulwark-gate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function exitOf(child: ReturnType<typeof spawn>) {
  return new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
}

describe("the demo's service gate", () => {
  it("never starts the service when its stdin closes before the go line (the demo died first)", async () => {
    const marker = join(dir, "started-without-go");
    const child = spawn("/bin/sh", ["-c", SERVICE_GATE, "touch", marker], {
      stdio: ["pipe", "ignore", "ignore"],
    });
    child.stdin?.end();
    expect(await exitOf(child)).toBe(97);
    expect(existsSync(marker)).toBe(false);
  });

  it("spawnService registers the pid, then starts the command with its arguments as the same process", async () => {
    const guardian = new Guardian(dir);
    const child = guardian.spawnService("/bin/sh", ["-c", 'echo "pid $$ args $0"', "a b"], {}, "SIGTERM");
    let out = "";
    child.stdout?.on("data", (b) => {
      out += b;
    });
    expect(await exitOf(child)).toBe(0);
    expect(out.trim()).toBe(`pid ${child.pid} args a b`);
    guardian.untrack(child.pid);
  });
});
