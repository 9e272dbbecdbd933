import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort, waitFor } from "./services.js";

const run = promisify(execFile);

export interface RedisClusterServers {
  ports: number[];
  /** REDIS_URL for the API and workers: every node, comma-separated */
  url: string;
  /** redis-cli against one node (`-c`: follows MOVED), stdout */
  cli(port: number, ...args: string[]): Promise<string>;
  destroy(): Promise<void>;
}

/**
 * A three-node Redis Cluster of the test's own: `redis-server --cluster-enabled yes` on free ports in a
 * temporary directory (no persistence), joined with `redis-cli --cluster create … --cluster-yes`, every
 * slot covered by a master and no replicas. Never the machine's Redis.
 */
export async function startRedisCluster(nodes = 3): Promise<RedisClusterServers> {
  const dir = mkdtempSync(join(tmpdir(), "bulwark-redis-cluster-"));
  const ports: number[] = [];
  const children: ChildProcess[] = [];
  const cli = async (port: number, ...args: string[]) =>
    (await run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args])).stdout;
  try {
    for (let i = 0; i < nodes; i++) {
      const port = await freePort();
      ports.push(port);
      children.push(
        spawn(
          "redis-server",
          [
            "--port",
            String(port),
            "--bind",
            "127.0.0.1",
            "--cluster-enabled",
            "yes",
            "--cluster-config-file",
            join(dir, `nodes-${port}.conf`),
            "--dir",
            dir,
            "--save",
            "",
            "--appendonly",
            "no",
          ],
          { stdio: "ignore" },
        ),
      );
    }
    for (const p of ports)
      await waitFor(`redis-server :${p}`, async () => (await cli(p, "ping")).includes("PONG"));
    await run("redis-cli", [
      "--cluster",
      "create",
      ...ports.map((p) => `127.0.0.1:${p}`),
      "--cluster-replicas",
      "0",
      "--cluster-yes",
    ]);
    for (const p of ports)
      await waitFor(`cluster state ok on :${p}`, async () =>
        (await cli(p, "cluster", "info")).includes("cluster_state:ok"),
      );
  } catch (e) {
    for (const c of children) c.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    ports,
    url: ports.map((p) => `redis://127.0.0.1:${p}`).join(","),
    cli,
    async destroy() {
      await Promise.all(
        children.map(async (c) => {
          if (c.exitCode !== null || c.signalCode !== null) return;
          const exited = new Promise((r) => c.once("exit", r));
          c.kill("SIGKILL");
          await exited;
        }),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
