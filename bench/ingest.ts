/**
 * npm run bench:ingest [-- N]: a trivy k8s report of N findings (default 50,000) generated from the project's
 * sample, uploaded signed through the real API to a real worker; prints the time from POST to `done`, findings
 * per second, and for the database write alone the ratio to a raw COPY of the same rows into a table shaped
 * like `findings` (same columns and indexes), measured in the same run. Uses TEST_DATABASE_URL / TEST_REDIS_URL
 * or the local defaults, in a scratch database it creates and drops.
 */
import { randomBytes } from "node:crypto";
import { startApi } from "@bulwark/api/server";
import { uploadReport } from "@bulwark/collector";
import { createLogger, createRedis, createReportQueue, loadConfig, runMigrations } from "@bulwark/runtime";
import { newId } from "@bulwark/schema";
import { PARSERS, startWorker } from "@bulwark/worker";
import pg from "pg";
import { copyInto } from "../apps/worker/src/snapshot/copy-stream.js";
import {
  contentHash,
  dedupeByFingerprint,
  encodeContent,
  INCOMING_COLUMNS,
} from "../apps/worker/src/snapshot/rows.js";
import { generateTrivyK8s } from "./generate.js";

const n = Number(process.argv[2] ?? process.env.BENCH_FINDINGS ?? 50_000);
const base = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const dbName = `bulwark_bench_${randomBytes(4).toString("hex")}`;
const say = (m: string) => process.stdout.write(`${m}\n`);

const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const u = new URL(base);
u.pathname = `/${dbName}`;
const config = loadConfig({
  DATABASE_URL: u.toString(),
  REDIS_URL: redisUrl,
  ADMIN_TOKEN: randomBytes(24).toString("hex"),
  SECRETS_KEY: randomBytes(32).toString("base64"),
  PORT: "0",
  METRICS_PORT: "0",
  LOG_LEVEL: "warn",
  QUEUE_PREFIX: `bench-${randomBytes(4).toString("hex")}`,
  WORKER_CONCURRENCY: "1",
  RATE_LIMIT_CLUSTER_PER_MIN: "100000",
});
const logger = createLogger("warn");
try {
  await runMigrations(config.DATABASE_URL);
  const worker = await startWorker(config, logger);
  const api = await startApi(config, logger);
  const json = async (path: string, token: string, body?: unknown) => {
    const res = await fetch(new URL(path, api.url), {
      method: body ? "POST" : "GET",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    });
    return res.json() as Promise<Record<string, never>>;
  };
  const tenant = (await json("/admin/v1/tenants", config.ADMIN_TOKEN, { name: "bench" })) as unknown as {
    token: string;
  };
  const cluster = (await json("/v1/clusters", tenant.token, { name: "bench" })) as unknown as {
    key: { keyId: string; secret: string };
  };
  const { report, findings } = generateTrivyK8s(n);
  say(`generated a trivy k8s report of ${findings} findings (${report.Resources.length} resources)`);

  const queue = createReportQueue(createRedis(redisUrl, "worker"), config.QUEUE_PREFIX);
  const runOnce = async (label: string, minute: number) => {
    const envelope = {
      schemaVersion: 1,
      source: "trivy",
      collectedAt: new Date(Date.now() - (10 - minute) * 60_000).toISOString(),
      report,
    };
    const t0 = performance.now();
    const up = await uploadReport(envelope, {
      baseUrl: api.url,
      keyId: cluster.key.keyId,
      secret: cluster.key.secret,
    });
    const tPost = performance.now() - t0;
    const reportId = (up.body as { reportId: string }).reportId;
    if (up.status !== 202) throw new Error(`upload answered ${up.status}: ${JSON.stringify(up.body)}`);
    for (;;) {
      const r = (await json(`/v1/reports/${reportId}`, tenant.token)) as unknown as {
        status: string;
        error: string;
      };
      if (r.status === "done") break;
      if (r.status === "failed") throw new Error(`report failed: ${r.error}`);
      await new Promise((res) => setTimeout(res, 20));
    }
    const total = performance.now() - t0;
    // the report row says done just before BullMQ records the job's return value
    let job = await queue.getJob(`report-${reportId}`);
    for (let i = 0; i < 100 && !(await job?.isCompleted()); i++) {
      await new Promise((res) => setTimeout(res, 20));
      job = await queue.getJob(`report-${reportId}`);
    }
    const timings = (job?.returnvalue as { timings?: Record<string, number> } | undefined)?.timings ?? {};
    const writeMs = (timings.copyMs ?? 0) + (timings.upsertMs ?? 0) + (timings.resolveMs ?? 0);
    say(
      `${label}: POST ${tPost.toFixed(0)} ms (accepted), POST→done ${total.toFixed(0)} ms (worker ${timings.totalMs?.toFixed(0)} ms), ` +
        `${Math.round(findings / (total / 1000))} findings/s; read + parse + stage ${timings.readMs?.toFixed(0)} ms, ` +
        `write ${writeMs.toFixed(0)} ms (stage ${timings.copyMs?.toFixed(0)}, upsert ${timings.upsertMs?.toFixed(0)}, resolve ${timings.resolveMs?.toFixed(0)})`,
    );
    return { total, writeMs };
  };
  const first = await runOnce("first snapshot (all new)", 1);
  const second = await runOnce("second snapshot (all unchanged)", 2);

  // the raw COPY baseline: the same rows, into a table with the columns and indexes of `findings`
  const drafts = dedupeByFingerprint(
    "trivy",
    (PARSERS.trivy as NonNullable<typeof PARSERS.trivy>)(report, {
      source: "trivy",
      collectedAt: new Date(),
    }).findings,
  );
  const owner = new pg.Client({ connectionString: config.DATABASE_URL });
  await owner.connect();
  await owner.query("CREATE TABLE bench_copy (LIKE findings INCLUDING ALL)");
  // the rows as the worker writes a new finding: id, fingerprint, content, content hash, then the constants
  const columns = [
    "id",
    "fingerprint",
    ...INCOMING_COLUMNS.slice(4),
    "content_hash",
    "tenant_id",
    "cluster_id",
    "source",
    "status",
    "first_seen_at",
    "last_seen_at",
    "last_report_id",
  ];
  const suffix =
    "\tten_bench\tcls_bench\ttrivy\topen\t2026-11-23T10:00:00Z\t2026-11-23T10:00:00Z\trpt_bench\n";
  const chunks: string[] = [];
  for (let i = 0; i < drafts.length; i += 2_000) {
    chunks.push(
      drafts
        .slice(i, i + 2_000)
        .map((r) => {
          const content = encodeContent(r.draft);
          return `${newId("finding")}\t${r.fingerprint}\t${content}\t${contentHash(content)}${suffix}`;
        })
        .join(""),
    );
  }
  const c0 = performance.now();
  await owner.query("BEGIN");
  await copyInto(owner as unknown as pg.PoolClient, "bench_copy", columns, chunks);
  await owner.query("COMMIT");
  const copyMs = performance.now() - c0;
  await owner.end();
  say(`raw COPY of the same ${drafts.length} rows into a findings-shaped table: ${copyMs.toFixed(0)} ms`);
  say(
    `write phase vs raw COPY: first ${((copyMs / first.writeMs) * 100).toFixed(0)} %, ` +
      `second ${((copyMs / second.writeMs) * 100).toFixed(0)} % (target ≥ 50 %); end to end first ${(first.total / 1000).toFixed(2)} s (target ≤ 5 s)`,
  );
  await queue.close();
  await api.close();
  await worker.close();
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
process.exit(0);
