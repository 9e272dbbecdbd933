import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Cluster,
  createCluster,
  createTenant,
  findingStates,
  type Tenant,
  uploadUntilAccepted,
  waitForReports,
} from "./support/client.js";
import { createFaultEnv, type FaultEnv } from "./support/env.js";
import { type Proc, startApiProcess, startWorkerProcess } from "./support/processes.js";
import { snapshotSequence } from "./support/scenario.js";
import { freePort } from "./support/services.js";

/**
 * Past one machine: two API processes and three workers, stateless, against one Postgres and one Redis. Eight
 * clusters upload the same day of snapshots at once, each upload through whichever API comes next. Every report
 * must be processed exactly once (one claim, one set of events), snapshots of one (cluster, source) must apply
 * in collectedAt order whichever worker holds them, and every cluster must end with the same findings.
 */
let f: FaultEnv;
const apis: { proc: Proc; url: string }[] = [];
const workers: Proc[] = [];
let tenant: Tenant;
let turn = 0;
const nextApi = () => (apis[turn++ % apis.length] as { url: string }).url;

beforeAll(async () => {
  f = await createFaultEnv({ WORKER_CONCURRENCY: "2" });
  for (const name of ["api-a", "api-b"])
    apis.push(await startApiProcess({ ...f.env, PORT: String(await freePort()) }, name));
  for (const name of ["worker-a", "worker-b", "worker-c"])
    workers.push(await startWorkerProcess(f.env, name));
  tenant = await createTenant(nextApi(), f.adminToken, "replicas");
}, 180_000);

afterAll(async () => {
  for (const p of [...apis.map((a) => a.proc), ...workers]) await p.stop().catch(() => {});
  await f?.destroy();
}, 60_000);

async function uploadDay(cluster: Cluster, base: number): Promise<string[]> {
  const ids: string[] = [];
  // in order within a cluster (as one collector sends them), each through the next API
  for (const e of snapshotSequence(base)) ids.push((await uploadUntilAccepted(nextApi, cluster, e)).reportId);
  return ids;
}

describe("two APIs and three workers", () => {
  it("every report is processed once, in collectedAt order per (cluster, source), with the same result", async () => {
    // the reference: one cluster's snapshots uploaded and applied one at a time
    const ref = await createCluster(nextApi(), tenant, "reference");
    for (const e of snapshotSequence()) {
      const { reportId } = await uploadUntilAccepted(nextApi, ref, e);
      await waitForReports(nextApi, tenant.token, [reportId], 60_000);
    }
    const reference = await findingStates(nextApi(), tenant.token, ref.clusterId);
    expect(reference.size).toBeGreaterThan(20);

    const clusters: Cluster[] = [];
    for (let i = 0; i < 8; i++) clusters.push(await createCluster(nextApi(), tenant, `replica-${i}`));
    const base = Date.now() - 3_600_000;
    const ids = (await Promise.all(clusters.map((c) => uploadDay(c, base)))).flat();
    const states = await waitForReports(nextApi, tenant.token, ids, 150_000);
    expect(states.filter((s) => s.status !== "done").map((s) => `${s.id}: ${s.status} ${s.error}`)).toEqual(
      [],
    );

    // once: one claim per report, no report's transitions recorded twice
    const claims = await f.sql<{ id: string; attempts: number }>(
      "SELECT id, attempts FROM reports WHERE tenant_id = $1 AND attempts <> 1",
      [tenant.tenantId],
    );
    expect(claims).toEqual([]);
    const twice = await f.sql(
      `SELECT finding_id, report_id, count(*)::int AS n FROM finding_events WHERE tenant_id = $1
       GROUP BY 1, 2 HAVING count(*) > 1`,
      [tenant.tenantId],
    );
    expect(twice).toEqual([]);

    // in order: per (cluster, source, scope), the applied snapshots finished in collectedAt order
    const rows = await f.sql<{
      cluster_id: string;
      source: string;
      scope_key: string;
      superseded: boolean;
      inversions: number;
    }>(
      `SELECT cluster_id, source, scope_key, superseded_by IS NOT NULL AS superseded,
         count(*) FILTER (WHERE prev_processed > processed_at)::int AS inversions
       FROM (SELECT *, lag(processed_at) OVER (PARTITION BY cluster_id, source, scope_key, superseded_by IS NULL
               ORDER BY collected_at) AS prev_processed
             FROM reports WHERE tenant_id = $1) r
       GROUP BY 1, 2, 3, 4`,
      [tenant.tenantId],
    );
    expect(rows.filter((r) => !r.superseded && r.inversions > 0)).toEqual([]);
    // superseded only by a newer snapshot (an older one still unfinished is waited for, not superseded)
    const wrong = await f.sql(
      `SELECT r.id FROM reports r JOIN reports s ON s.tenant_id = r.tenant_id AND s.id = r.superseded_by
       WHERE r.tenant_id = $1 AND s.collected_at <= r.collected_at`,
      [tenant.tenantId],
    );
    expect(wrong).toEqual([]);

    // the result of applying every snapshot in collectedAt order, on every cluster
    for (const c of clusters)
      expect(await findingStates(nextApi(), tenant.token, c.clusterId)).toEqual(reference);

    // the work was shared: every API took uploads and every worker applied reports
    for (const a of apis)
      expect(a.proc.lines.some((l) => l.includes('"method":"POST","route":"/v1/reports"'))).toBe(true);
    for (const w of workers)
      expect(w.lines.filter((l) => l.includes('"report applied"')).length).toBeGreaterThan(0);
    const exited = [...apis.map((a) => a.proc), ...workers].filter((p) => p.unexpectedExit);
    expect(exited.map((p) => p.name)).toEqual([]);
  }, 200_000);
});
