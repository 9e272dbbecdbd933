/**
 * npm run bench:fleet: a fleet's day, compressed. FLEET_CLUSTERS clusters (default 1,000, 20 per tenant) × 7
 * sources upload on their own schedules (trivy and trivy-operator every 12 h, mesh-config every 12 h, polaris,
 * popeye, kube-bench and kube-hunter daily; each (cluster, source) at its own phase) through one API process to
 * two worker processes (as `npm run start:*`), against a scratch database and the local Redis under a prefix of
 * its own. The simulated day lasts FLEET_DAY_SECONDS (default 600: 144× faster than real). Reports the upload
 * latency (p50/p99), the queue lag (accepted → processed: p50/p95/p99/max), outcomes and the machine's load.
 * Report bodies: the project's samples, plus the polaris, popeye and kube-hunter fixtures of ../shared.
 */
import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runMigrations } from "@bulwark/runtime";
import pg from "pg";
import { encodeEnvelope, postEncoded } from "../apps/collector/src/upload.js";
import { type Proc, startApiProcess, startWorkerProcess } from "../test/faults/support/processes.js";
import { freePort } from "../test/faults/support/services.js";
import { percentile, say, scratchDatabase } from "./lib/big-tenant.js";
import { benchEnv } from "./lib/env.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CLUSTERS = Number(process.env.FLEET_CLUSTERS ?? 1000);
const DAY_S = Number(process.env.FLEET_DAY_SECONDS ?? 600);
const PER_TENANT = 20;
const H = 3600;
const json = (p: string) => JSON.parse(readFileSync(p, "utf8")) as unknown;
const shared = (p: string) => resolve(root, "../shared/fixtures", p);
const SOURCES: { source: string; every: number; report: unknown }[] = [
  { source: "trivy", every: 12 * H, report: json(resolve(root, "samples/trivy-k8s.json")) },
  { source: "trivy-operator", every: 12 * H, report: json(resolve(root, "samples/trivy-operator.json")) },
  { source: "mesh-config", every: 12 * H, report: json(resolve(root, "samples/mesh-config.json")) },
  { source: "kube-bench", every: 24 * H, report: json(resolve(root, "samples/kube-bench.json")) },
  { source: "polaris", every: 24 * H, report: json(shared("polaris/output.json")) },
  { source: "popeye", every: 24 * H, report: json(shared("popeye/defectdojo-popeye_many_vul.json")) },
  {
    source: "kube-hunter",
    every: 24 * H,
    report: json(shared("kube-hunter/defectdojo-kubehunter_many_vul.json")),
  },
];
if (!existsSync(shared("polaris/output.json"))) throw new Error("../shared/fixtures is needed for 3 sources");

const db = await scratchDatabase("bulwark_bench_fleet");
const procs: Proc[] = [];
const loads: number[] = [];
const sampler = setInterval(() => loads.push(loadavg()[0] as number), 5_000);
try {
  await runMigrations(db.url);
  const env: Record<string, string> = {
    ...benchEnv(db.url),
    PORT: String(await freePort()),
    METRICS_PORT: "0",
    // info: the process helpers wait for the workers' "worker started" line
    LOG_LEVEL: "info",
    RATE_LIMIT_CLUSTER_PER_MIN: "100000",
    RATE_LIMIT_TENANT_PER_MIN: "100000",
    INGEST_TENANT_CONCURRENCY: "64",
    INGEST_CONCURRENCY: "64",
  };
  const api = await startApiProcess(env, "api");
  procs.push(api.proc);
  for (const name of ["worker-a", "worker-b"]) procs.push(await startWorkerProcess(env, name));
  const post = async (path: string, token: string, body: unknown) => {
    const res = await fetch(new URL(path, api.url), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as unknown;
  };
  const clusters: { keyId: string; secret: string }[] = [];
  for (let t = 0; t * PER_TENANT < CLUSTERS; t++) {
    const tenant = (await post("/admin/v1/tenants", env.ADMIN_TOKEN as string, { name: `fleet-${t}` })) as {
      token: string;
    };
    for (let c = 0; c < PER_TENANT && clusters.length < CLUSTERS; c++) {
      const r = (await post("/v1/clusters", tenant.token, { name: `c-${c}` })) as {
        key: { keyId: string; secret: string };
      };
      clusters.push(r.key);
    }
  }
  // every upload of the day: (simulated second, cluster, source), each (cluster, source) at its own phase
  const events: { at: number; cluster: number; source: number }[] = [];
  for (let c = 0; c < clusters.length; c++)
    for (let s = 0; s < SOURCES.length; s++) {
      const every = (SOURCES[s] as { every: number }).every;
      for (let at = Math.random() * every; at < 24 * H; at += every)
        events.push({ at, cluster: c, source: s });
    }
  events.sort((a, b) => a.at - b.at);
  say(
    `${clusters.length} clusters × ${SOURCES.length} sources: ${events.length} uploads in a simulated day of ${DAY_S} s (${((24 * H) / DAY_S).toFixed(0)}× faster), load ${loadavg()[0]?.toFixed(2)}`,
  );

  const uploadMs: number[] = [];
  const refused = new Map<number, number>();
  let inFlight = 0;
  const dayStart = Date.now();
  const simulated = (at: number) => new Date(dayStart - 24 * H * 1000 + at * 1000).toISOString();
  const upload = async (e: { at: number; cluster: number; source: number }) => {
    const src = SOURCES[e.source] as (typeof SOURCES)[number];
    const key = clusters[e.cluster] as { keyId: string; secret: string };
    const encoded = encodeEnvelope(
      { schemaVersion: 1, source: src.source, collectedAt: simulated(e.at), report: src.report },
      true,
    );
    for (;;) {
      const t0 = performance.now();
      const r = await postEncoded(encoded, { baseUrl: api.url, keyId: key.keyId, secret: key.secret });
      uploadMs.push(performance.now() - t0);
      if (r.status === 200 || r.status === 202) return;
      refused.set(r.status, (refused.get(r.status) ?? 0) + 1);
      if (r.status !== 429 && r.status < 500) return;
      await new Promise((ok) => setTimeout(ok, 1000 * Number(r.headers.get("retry-after") ?? 1)));
    }
  };
  let next = 0;
  const pending: Promise<void>[] = [];
  while (next < events.length) {
    const now = ((Date.now() - dayStart) / 1000) * ((24 * H) / DAY_S);
    while (next < events.length && (events[next] as { at: number }).at <= now && inFlight < 128) {
      const e = events[next++] as (typeof events)[number];
      inFlight++;
      pending.push(upload(e).finally(() => inFlight--));
    }
    await new Promise((ok) => setTimeout(ok, 20));
  }
  await Promise.all(pending);
  const uploadedIn = (Date.now() - dayStart) / 1000;
  const owner = new pg.Client({ connectionString: db.url });
  await owner.connect();
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const r = await owner.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM reports WHERE status IN ('queued', 'processing')",
    );
    if ((r.rows[0]?.n ?? 0) === 0 || Date.now() > deadline) break;
    await new Promise((ok) => setTimeout(ok, 1000));
  }
  const drainedIn = (Date.now() - dayStart) / 1000;
  const lag = await owner.query<{ ms: number }>(
    "SELECT extract(epoch FROM processed_at - received_at) * 1000 AS ms FROM reports WHERE processed_at IS NOT NULL",
  );
  const lags = lag.rows.map((x) => Number(x.ms)).sort((a, b) => a - b);
  const outcomes = await owner.query<{ status: string; superseded: boolean; n: number }>(
    "SELECT status, superseded_by IS NOT NULL AS superseded, count(*)::int AS n FROM reports GROUP BY 1, 2 ORDER BY 1, 2",
  );
  const findings = await owner.query<{ n: number }>("SELECT count(*)::int AS n FROM findings");
  await owner.end();
  uploadMs.sort((a, b) => a - b);
  const f = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  say(`uploads done in ${uploadedIn.toFixed(0)} s, queue drained at ${drainedIn.toFixed(0)} s`);
  say(
    `upload latency (HTTP, ${uploadMs.length} requests): p50 ${f(percentile(uploadMs, 50))} ms, p99 ${f(percentile(uploadMs, 99))} ms; refused: ${JSON.stringify(Object.fromEntries(refused))}`,
  );
  say(
    `queue lag, accepted → processed (${lags.length} reports): p50 ${f(percentile(lags, 50))} ms, p95 ${f(percentile(lags, 95))} ms, p99 ${f(percentile(lags, 99))} ms, max ${f(lags.at(-1) ?? 0)} ms`,
  );
  say(
    `outcomes: ${outcomes.rows.map((r) => `${r.status}${r.superseded ? " (superseded)" : ""} ${r.n}`).join(", ")}`,
  );
  say(`findings: ${findings.rows[0]?.n}`);
  const mean = loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length);
  say(`load average (1 min) during the run: mean ${mean.toFixed(2)}, max ${Math.max(...loads).toFixed(2)}`);
  for (const p of procs) if (p.unexpectedExit) say(`${p.name} exited: ${p.lines.slice(-3).join(" | ")}`);
} finally {
  clearInterval(sampler);
  for (const p of procs) await p.stop().catch(() => {});
  await db.drop();
}
