import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCluster, createTenant, uploadUntilAccepted, waitForReports } from "./support/client.js";
import { createFaultEnv, type FaultEnv } from "./support/env.js";
import { type Proc, startApiProcess, startProcess, startWorkerProcess } from "./support/processes.js";
import { type RedisClusterServers, startRedisCluster } from "./support/redis-cluster.js";
import { snapshotSequence } from "./support/scenario.js";
import { freePort, waitFor } from "./support/services.js";

/**
 * The API and two workers against a real three-node Redis Cluster (REDIS_URL listing the nodes): BullMQ's
 * multi-key scripts, the upload rate limiter's and the sign-in throttle's MULTIs and the schedule registry
 * all work only if every key of the deployment hashes to one slot, which the `{…}` hash tag of the prefix
 * guarantees. A CROSSSLOT error would show as unprocessed reports, a limiter failing open, a throttle
 * answering 503, or a schedule never established.
 */
let rc: RedisClusterServers;
let f: FaultEnv;
const procs: Proc[] = [];
let apiUrl = "";
const prefix = `{faults-${randomBytes(4).toString("hex")}}`;

beforeAll(async () => {
  rc = await startRedisCluster();
  f = await createFaultEnv({ REDIS_URL: rc.url, QUEUE_PREFIX: prefix });
  const api = await startApiProcess(f.env);
  apiUrl = api.url;
  procs.push(api.proc);
  for (const name of ["worker-a", "worker-b"]) procs.push(await startWorkerProcess(f.env, name));
}, 180_000);

afterAll(async () => {
  for (const p of procs) await p.stop().catch(() => {});
  await f?.destroy();
  await rc?.destroy();
}, 60_000);

describe("Redis Cluster", () => {
  it("reports are processed, limits and throttles count, schedules exist, and every key is on one slot", async () => {
    const tenant = await createTenant(apiUrl, f.adminToken, "cluster");
    const cluster = await createCluster(apiUrl, tenant, "c1");
    const ids: string[] = [];
    for (const e of snapshotSequence())
      ids.push((await uploadUntilAccepted(() => apiUrl, cluster, e)).reportId);
    const states = await waitForReports(() => apiUrl, tenant.token, ids, 90_000);
    expect(states.map((s) => `${s.id}: ${s.status} ${s.error ?? ""}`.trim())).toEqual(
      ids.map((id) => `${id}: done`),
    );

    // the throttle counts failures in a MULTI over two keys: 401 (counted), never 503 (Redis refused it)
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${apiUrl}/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "nobody@example.com", password: "wrong password, surely" }),
      });
      expect(res.status).toBe(401);
    }

    const [api, ...workers] = procs as [Proc, ...Proc[]];
    expect(api.lines.filter((l) => l.includes("rate limiter unavailable"))).toEqual([]);
    await waitFor("schedules established", async () =>
      workers.some((w) => w.lines.some((l) => l.includes('"job schedule established"'))),
    );
    for (const w of workers)
      expect(w.lines.filter((l) => l.includes("could not check or establish"))).toEqual([]);

    // every key this deployment wrote is in the slot of the prefix's hash tag, on one master
    const slot = Number((await rc.cli(rc.ports[0] as number, "cluster", "keyslot", prefix)).trim());
    let total = 0;
    let inSlot = 0;
    for (const p of rc.ports) {
      total += Number((await rc.cli(p, "dbsize")).trim());
      inSlot += Number((await rc.cli(p, "cluster", "countkeysinslot", String(slot))).trim());
    }
    expect(total).toBeGreaterThan(10);
    expect(inSlot).toBe(total);
    expect(procs.filter((p) => p.unexpectedExit).map((p) => p.name)).toEqual([]);
  }, 150_000);

  it("a prefix without a hash tag is refused at start-up, naming QUEUE_PREFIX", async () => {
    const p = startProcess("api", { ...f.env, QUEUE_PREFIX: "bulwark", PORT: String(await freePort()) });
    await waitFor("the API to exit", async () => p.unexpectedExit !== null, 60_000);
    expect(p.unexpectedExit?.code).toBe(1);
    expect(p.lines.join("\n")).toMatch(/QUEUE_PREFIX is set but not valid/);
  }, 90_000);
});
