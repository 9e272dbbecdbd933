/**
 * npm run bench:ingest-worker [-- N BIG]: the worker on real-size reports. A trivy k8s report of N findings
 * (default 50,000, about 117 MB of JSON) generated from the real fixture with full descriptions
 * (bench/generate-real.ts), through a real API and a real worker process (as `npm run start:*`):
 * - POST → `done` of the first snapshot, then of an unchanged re-scan (the same report, a later collectedAt),
 *   with the finding rows and history rows the re-scan wrote (xmin, finding_events);
 * - the same-run reference: a raw COPY of the same finding rows into a table shaped like `findings` (its
 *   indexes included), the least that writing them costs;
 * - the worker's peak RSS (VmHWM, reset per report), and the same for a report of BIG findings (default 200,000,
 *   over the API's 256 MiB upload limit, so stored directly as the API would and enqueued);
 * - the machine's load average at start and end.
 * Uses TEST_DATABASE_URL / TEST_REDIS_URL or the local defaults, in a scratch database it creates and drops.
 */
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { gzipSync } from "node:zlib";
import { createRedis, createReportQueue, enqueueNormalize, runMigrations } from "@bulwark/runtime";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { signRequest } from "../apps/collector/src/signing.js";
import { type Proc, startApiProcess, startWorkerProcess } from "../test/faults/support/processes.js";
import { freePort } from "../test/faults/support/services.js";
import { generateRealTrivyK8s } from "./generate-real.js";
import { peakRssMb, resetPeak } from "./lib/proc-mem.js";

const n = Number(process.argv[2] ?? 50_000);
const big = Number(process.argv[3] ?? 200_000);
const base = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const dbName = `bulwark_bench_${randomBytes(4).toString("hex")}`;
const say = (m: string) => process.stdout.write(`${m}\n`);
const s = (x: number) => `${(x / 1000).toFixed(2)} s`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");

const envelopeOf = (report: Buffer, collectedAt: Date) =>
  Buffer.concat([
    Buffer.from(`{"schemaVersion":1,"source":"trivy","collectedAt":"${collectedAt.toISOString()}","report":`),
    report,
    Buffer.from("}"),
  ]);

const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const u = new URL(base);
u.pathname = `/${dbName}`;
const owner = new pg.Pool({ connectionString: u.toString(), max: 2 });
// the DROP … WITH (FORCE) at the end may terminate an idle connection: not an error of the bench
owner.on("error", () => {});
const prefix = `bench-${randomBytes(4).toString("hex")}`;
let api: { proc: Proc; url: string } | undefined;
let worker: Proc | undefined;
const redis = createRedis(redisUrl, "producer");
try {
  say(`load average at start (1/5/15 min): ${load()}`);
  await runMigrations(u.toString());
  const adminToken = randomBytes(24).toString("hex");
  const env = {
    DATABASE_URL: u.toString(),
    REDIS_URL: redisUrl,
    ADMIN_TOKEN: adminToken,
    SECRETS_KEY: randomBytes(32).toString("base64"),
    LOG_LEVEL: "info",
    QUEUE_PREFIX: prefix,
    RATE_LIMIT_CLUSTER_PER_MIN: "100000",
    WORKER_CONCURRENCY: "1",
    WORKER_LOCK_MS: "120000",
    METRICS_PORT: "0",
  };
  api = await startApiProcess({ ...env, PORT: String(await freePort()) });
  worker = await startWorkerProcess(env);
  const wpid = worker.child.pid as number;
  const call = async (method: string, path: string, token: string, body?: unknown) =>
    (await (
      await fetch(`${api?.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      })
    ).json()) as Record<string, unknown>;
  const t = (await call("POST", "/admin/v1/tenants", adminToken, { name: "bench" })) as {
    token: string;
    tenant: { id: string };
  };
  const tenantId = t.tenant.id;
  const cluster = (await call("POST", "/v1/clusters", t.token, { name: "bench-1" })) as {
    cluster: { id: string };
    key: { keyId: string; secret: string };
  };

  const waitDone = async (reportId: string) => {
    for (;;) {
      const r = await owner.query<{ status: string; started_at: Date; processed_at: Date; stats: unknown }>(
        "SELECT status, started_at, processed_at, stats FROM reports WHERE id = $1",
        [reportId],
      );
      const row = r.rows[0];
      if (row && (row.status === "done" || row.status === "failed")) return row;
      if (worker?.unexpectedExit) throw new Error(`worker exited: ${worker.lines.slice(-5).join("\n")}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  };
  const applied = async (reportId: string) => {
    // the worker logs right after its commit: the line may trail the row by a moment
    let line: string | undefined;
    for (let i = 0; i < 100 && !line; i++) {
      line = worker?.lines.find((l) => l.includes('"report applied"') && l.includes(reportId));
      if (!line) await new Promise((res) => setTimeout(res, 20));
    }
    if (!line) return "";
    const o = JSON.parse(line) as Record<string, number>;
    return ["readMs", "copyMs", "upsertMs", "resolveMs"].map((k) => `${k} ${o[k]?.toFixed(0)}`).join(", ");
  };

  /** POST the report (collected at `at`) and wait for `done`: wall time, worker time, peak RSS. */
  const postAndWait = async (report: Buffer, at: Date) => {
    const body = gzipSync(envelopeOf(report, at));
    const { keyId, secret } = cluster.key;
    resetPeak(wpid);
    const t0 = performance.now();
    let res: Response | undefined;
    // the API closes idle keep-alive sockets after 5 s; reusing one it just closed fails with EPIPE before a
    // byte reaches it: send again (signed anew: a fresh nonce)
    for (let attempt = 1; !res; attempt++) {
      const headers = {
        "content-type": "application/json",
        "content-encoding": "gzip",
        ...signRequest({ method: "POST", path: "/v1/reports", body, keyId, secret }),
      };
      res = await fetch(`${api?.url}/v1/reports`, { method: "POST", headers, body }).catch((e) => {
        if (attempt >= 3) throw new Error(`upload failed (${e.cause?.message ?? e.message})`);
        return undefined;
      });
    }
    const accepted = (await res.json()) as { reportId: string };
    if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${JSON.stringify(accepted)}`);
    const t1 = performance.now();
    const row = await waitDone(accepted.reportId);
    const total = performance.now() - t0;
    return {
      row,
      total,
      accept: t1 - t0,
      work: row.processed_at.getTime() - row.started_at.getTime(),
      rss: peakRssMb(wpid),
      timings: await applied(accepted.reportId),
    };
  };

  const { json: report, findings, resources } = generateRealTrivyK8s(n);
  say(`report: ${findings} findings, ${resources} resources, ${(report.length / 1e6).toFixed(1)} MB JSON`);
  const baseRss = peakRssMb(wpid);

  const first = await postAndWait(report, new Date(Date.now() - 600_000));
  say(
    `first snapshot: POST → done ${s(first.total)} (accept ${s(first.accept)}, worker ${s(first.work)}: ${first.timings}); worker peak RSS ${first.rss.toFixed(0)} MiB (idle ${baseRss.toFixed(0)}); ${JSON.stringify(first.row.stats)}`,
  );

  const xid = (await owner.query<{ x: string }>("SELECT txid_current()::text AS x")).rows[0]?.x ?? "0";
  const eventsBefore = (await owner.query<{ n: number }>("SELECT count(*)::int AS n FROM finding_events"))
    .rows[0]?.n;
  const again = await postAndWait(report, new Date(Date.now() - 300_000));
  const written = await owner.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM findings WHERE xmin::text::bigint >= $1::bigint",
    [xid],
  );
  const eventsAfter = (await owner.query<{ n: number }>("SELECT count(*)::int AS n FROM finding_events"))
    .rows[0]?.n;
  say(
    `unchanged re-scan: POST → done ${s(again.total)} (accept ${s(again.accept)}, worker ${s(again.work)}: ${again.timings}); worker peak RSS ${again.rss.toFixed(0)} MiB; finding rows written ${written.rows[0]?.n}, history rows ${(eventsAfter ?? 0) - (eventsBefore ?? 0)}; ${JSON.stringify(again.row.stats)}`,
  );

  // reference, same run: a raw COPY of the same rows into a table shaped like findings (indexes included)
  const client = await owner.connect();
  try {
    const chunks: Buffer[] = [];
    const out = client.query(
      copyTo(`COPY (SELECT * FROM findings WHERE tenant_id = '${tenantId}') TO STDOUT`),
    );
    for await (const c of out) chunks.push(c as Buffer);
    const rows = Buffer.concat(chunks);
    const copies: number[] = [];
    for (let i = 0; i < 2; i++) {
      await client.query("DROP TABLE IF EXISTS bench_copy");
      await client.query("CREATE TABLE bench_copy (LIKE findings INCLUDING ALL)");
      const t0 = performance.now();
      await pipeline(Readable.from([rows]), client.query(copyFrom("COPY bench_copy FROM STDIN")));
      copies.push(performance.now() - t0);
    }
    await client.query("DROP TABLE bench_copy");
    const copy = Math.min(...copies);
    say(
      `reference: raw COPY of the same ${findings} rows (${(rows.length / 1e6).toFixed(0)} MB) into a findings-shaped table with its indexes: ${copies.map(s).join(", ")}`,
    );
    say(
      `ratios to the fastest COPY: first snapshot ${(first.total / copy).toFixed(2)}× (target ≤ 3), unchanged re-scan ${(again.total / copy).toFixed(2)}× (target ≤ 1.5)`,
    );
  } finally {
    client.release();
  }

  // the big report: over the API's upload limit, so stored as the API would store it and enqueued
  if (big > 0) {
    const g = generateRealTrivyK8s(big);
    const payload = gzipSync(envelopeOf(g.json, new Date(Date.now() - 200_000)));
    const other = (await call("POST", "/v1/clusters", t.token, { name: "bench-big" })) as {
      cluster: { id: string };
    };
    const reportId = `rpt_bench${randomBytes(6).toString("hex")}`;
    await owner.query(
      `INSERT INTO reports (id, tenant_id, cluster_id, source, collected_at, scope_key, body_sha256, payload,
         payload_bytes, payload_stored_bytes)
       VALUES ($1, $2, $3, 'trivy', now() - interval '200 seconds', '*', $4, $5, $6, $7)`,
      [
        reportId,
        tenantId,
        other.cluster.id,
        randomBytes(32).toString("hex"),
        payload,
        g.json.length + 80,
        payload.length,
      ],
    );
    resetPeak(wpid);
    const t0 = performance.now();
    await enqueueNormalize(createReportQueue(redis, prefix), { tenantId, reportId });
    const row = await waitDone(reportId);
    const total = performance.now() - t0;
    say(
      `big report: ${g.findings} findings, ${(g.json.length / 1e6).toFixed(0)} MB JSON, ${(payload.length / 1e6).toFixed(0)} MB gzipped: enqueue → done ${s(total)} (worker ${s(row.processed_at.getTime() - row.started_at.getTime())}: ${await applied(reportId)}); worker peak RSS ${peakRssMb(wpid).toFixed(0)} MiB; ${JSON.stringify(row.stats)}`,
    );
  }
  say(`load average at end (1/5/15 min): ${load()}`);
} finally {
  for (const p of [worker, api?.proc])
    if (p?.unexpectedExit)
      say(`${p.name} exited: ${JSON.stringify(p.unexpectedExit)}\n${p.lines.slice(-10).join("\n")}`);
  await worker?.stop().catch(() => {});
  await api?.proc.stop().catch(() => {});
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== "0");
  redis.disconnect();
  await owner.end();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
