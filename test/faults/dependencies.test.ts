import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Cluster,
  createCluster,
  createTenant,
  findingStates,
  getJson,
  sleep,
  type Tenant,
  uploadUntilAccepted,
  waitForReports,
} from "./support/client.js";
import { createFaultEnv, type FaultEnv } from "./support/env.js";
import { type Proc, startApiProcess, startWorkerProcess } from "./support/processes.js";
import { snapshotSequence } from "./support/scenario.js";

/**
 * Real processes (the API and two workers, spawned as `npm run start:*` would) against a Postgres cluster and
 * a redis-server of the suite's own, while those are restarted, flushed and cut. Every report answered 202
 * must end `done` or `failed` as in a clean run, with the clean run's findings, and no process may exit
 * unless the test killed it.
 */
let f: FaultEnv;
let api: { proc: Proc; url: string };
const workers: Proc[] = [];
const procs: Proc[] = [];
let tenant: Tenant;
let reference: Map<string, string>;
const apiUrl = () => api.url;

beforeAll(async () => {
  f = await createFaultEnv();
  api = await startApiProcess(f.env);
  procs.push(api.proc);
  for (const name of ["worker-a", "worker-b"]) {
    const w = await startWorkerProcess(f.env, name);
    workers.push(w);
    procs.push(w);
  }
  tenant = await createTenant(api.url, f.adminToken, "faults");
  // the reference: the same snapshots, uploaded and processed with nothing going wrong
  const ref = await createCluster(api.url, tenant, "reference");
  const ids: string[] = [];
  for (const e of snapshotSequence()) ids.push((await uploadUntilAccepted(apiUrl, ref, e)).reportId);
  const states = await waitForReports(apiUrl, tenant.token, ids, 60_000);
  expect(states.map((s) => s.status)).toEqual(ids.map(() => "done"));
  reference = await findingStates(api.url, tenant.token, ref.clusterId);
  expect(reference.size).toBeGreaterThan(20);
}, 180_000);

afterAll(async () => {
  for (const p of procs) await p.stop().catch(() => {});
  await f?.destroy();
}, 60_000);

function expectNoUnexpectedExit() {
  const exited = procs.filter((p) => p.unexpectedExit);
  expect(
    exited.map(
      (p) => `${p.name} exited ${JSON.stringify(p.unexpectedExit)}: ${p.lines.slice(-3).join(" | ")}`,
    ),
  ).toEqual([]);
}

async function uploadSequence(cluster: Cluster): Promise<string[]> {
  const ids: string[] = [];
  for (const e of snapshotSequence()) ids.push((await uploadUntilAccepted(apiUrl, cluster, e)).reportId);
  return ids;
}

async function expectLikeReference(cluster: Cluster, ids: string[], timeoutMs: number) {
  const states = await waitForReports(apiUrl, tenant.token, ids, timeoutMs);
  expect(states.filter((s) => s.status !== "done").map((s) => `${s.id}: ${s.status} ${s.error}`)).toEqual([]);
  expect(await findingStates(api.url, tenant.token, cluster.clusterId)).toEqual(reference);
}

async function readyz(): Promise<number> {
  try {
    return (await fetch(`${api.url}/readyz`, { signal: AbortSignal.timeout(5_000) })).status;
  } catch {
    return 0;
  }
}

describe("under dependency faults", () => {
  it("Postgres restarting and killing connections during uploads and processing: nothing lost, no crash", async () => {
    const cluster = await createCluster(api.url, tenant, "pg-chaos");
    let chaos = true;
    let terminated = 0;
    const chaosLoop = (async () => {
      let round = 0;
      while (chaos) {
        round++;
        if (round === 4) await f.pg.restart();
        else terminated += await f.pg.terminateBackends().catch(() => 0);
        await sleep(400);
      }
    })();
    let ids: string[];
    try {
      ids = await uploadSequence(cluster);
      await sleep(1_500); // keep cutting connections while the workers process
    } finally {
      chaos = false;
      await chaosLoop;
    }
    expect(terminated).toBeGreaterThan(0);
    await expectLikeReference(cluster, ids, 90_000);
    expect(await readyz()).toBe(200);
    expectNoUnexpectedExit();
  }, 180_000);

  it("Redis restarting empty: accepted reports are processed and the schedules come back", async () => {
    const cluster = await createCluster(api.url, tenant, "redis-empty");
    await f.redis.stop();
    // the API still accepts: the row is the source of truth; readiness says Redis is down
    const ids = await uploadSequence(cluster);
    expect(await readyz()).toBe(503);
    await sleep(1_000);
    const backAt = Date.now();
    await f.redis.start(); // empty: every job, schedule and lock is gone
    await expectLikeReference(cluster, ids, 60_000);
    const recoveredMs = Date.now() - backAt;
    // documented bound: schedule check (10 s) + sweep period + grace, with this suite's settings ≈ 15 s
    expect(recoveredMs).toBeLessThan(45_000);
    expect(await readyz()).toBe(200);
    expect(workers.some((w) => w.lines.some((l) => l.includes("job schedule established")))).toBe(true);
    expectNoUnexpectedExit();
  }, 120_000);

  it("Redis flapping while jobs run: every report still ends as in a clean run", async () => {
    const cluster = await createCluster(api.url, tenant, "redis-flap");
    const uploads = uploadSequence(cluster);
    for (let i = 0; i < 3; i++) {
      await sleep(700);
      await f.redis.restartEmpty(300);
    }
    const ids = await uploads;
    await expectLikeReference(cluster, ids, 60_000);
    expectNoUnexpectedExit();
  }, 120_000);

  it("kill -9 of a worker mid-job and of the API mid-upload; two workers share the queue", async () => {
    const cluster = await createCluster(api.url, tenant, "kill-9");
    const uploads = uploadSequence(cluster);
    // wait until a report is being processed, then kill the worker holding it (either may)
    const deadline = Date.now() + 30_000;
    let processing = false;
    while (!processing && Date.now() < deadline) {
      const r = await getJson<{ items: { status: string }[] }>(
        api.url,
        `/v1/reports?cluster=${cluster.clusterId}&status=processing`,
        tenant.token,
      ).catch(() => ({ status: 0, body: { items: [] } }));
      processing = r.status === 200 && r.body.items.length > 0;
      if (!processing) await sleep(20);
    }
    const victim = workers.shift() as Proc;
    await victim.kill9();
    // and the API, mid-upload: the uploader retries against the restarted one
    await api.proc.kill9();
    api = await startApiProcess(f.env, "api-2");
    procs.push(api.proc);
    const replacement = await startWorkerProcess(f.env, "worker-c");
    workers.push(replacement);
    procs.push(replacement);
    const ids = await uploads;
    await expectLikeReference(cluster, ids, 60_000);
    expectNoUnexpectedExit();
  }, 180_000);

  it("wrong-source and empty-object reports end failed and change no finding", async () => {
    const cluster = await createCluster(api.url, tenant, "wrong");
    const good = await uploadSequence(cluster);
    await expectLikeReference(cluster, good, 60_000);
    const polaris = { PolarisOutputVersion: "1.0", AuditTime: "2026-01-01T00:00:00Z", Results: [] };
    const later = new Date(Date.now() - 1_000).toISOString();
    const wrong = [
      { schemaVersion: 1, source: "trivy", collectedAt: later, report: polaris },
      { schemaVersion: 1, source: "mesh-config", collectedAt: later, report: {} },
      { schemaVersion: 1, source: "kube-bench", collectedAt: later, report: {} },
      {
        schemaVersion: 1,
        source: "trivy-operator",
        collectedAt: later,
        report: { kind: "List", items: [{}] },
      },
    ];
    const ids: string[] = [];
    for (const e of wrong) ids.push((await uploadUntilAccepted(apiUrl, cluster, e)).reportId);
    const states = await waitForReports(apiUrl, tenant.token, ids, 30_000);
    expect(states.map((s) => s.status)).toEqual(ids.map(() => "failed"));
    for (const s of states) expect(s.error).toMatch(/could not be parsed: \$/);
    expect(await findingStates(api.url, tenant.token, cluster.clusterId)).toEqual(reference);
    expectNoUnexpectedExit();
  }, 120_000);
});
