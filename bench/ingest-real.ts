/**
 * npm run bench:ingest-real [-- N]: the API's answer to real-size uploads. A trivy k8s report of N findings
 * (default 50,000, about 117 MB of JSON, 14 MB gzipped) generated from the real fixture with full
 * vulnerability descriptions (bench/generate-real.ts), uploaded signed to a real API process (no worker: this
 * measures admission only). Prints, in one run:
 * - POST → 202 for one upload at a time (3 uploads), and for the same work done naively in this process as a
 *   reference (gunzip + JSON.parse of the body, what an API that parses would pay at the least);
 * - /healthz latency (p50/p99/max, polled every 10 ms) idle, and while four such uploads arrive at once;
 * - the API process's peak RSS idle and under the four uploads (per upload in flight);
 * - the machine's load average at start and end.
 * Uses TEST_DATABASE_URL / TEST_REDIS_URL or the local defaults, in a scratch database it creates and drops.
 * INGEST_THREADS sets the API's ingest threads; BENCH_NODE_ARGS adds node flags to the API (e.g. --trace-gc,
 * whose lines are printed with the API's log).
 */
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { gunzipSync, gzipSync } from "node:zlib";
import { runMigrations } from "@bulwark/runtime";
import pg from "pg";
import { signRequest } from "../apps/collector/src/signing.js";
import { type Proc, startApiProcess } from "../test/faults/support/processes.js";
import { freePort } from "../test/faults/support/services.js";
import { generateRealTrivyK8s } from "./generate-real.js";

const n = Number(process.argv[2] ?? 50_000);
const base = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const dbName = `bulwark_bench_${randomBytes(4).toString("hex")}`;
const say = (m: string) => process.stdout.write(`${m}\n`);
const ms = (x: number) => `${x.toFixed(0)} ms`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

function rssMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
}

/** Reset the peak RSS counter of a process (Linux: write 5 to clear_refs). */
function resetPeak(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
  } catch {
    // not permitted: the peak then includes earlier phases
  }
}

async function healthzDuring<T>(url: string, work: () => Promise<T>): Promise<{ result: T; lat: number[] }> {
  const lat: number[] = [];
  let on = true;
  const poll = (async () => {
    while (on) {
      const t0 = performance.now();
      try {
        await (await fetch(`${url}/healthz`)).arrayBuffer();
        lat.push(performance.now() - t0);
      } catch {
        // a keep-alive socket the server closed as it was reused: not a latency, try again
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const result = await work();
  on = false;
  await poll;
  return { result, lat };
}

const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const u = new URL(base);
u.pathname = `/${dbName}`;
let api: { proc: Proc; url: string } | undefined;
const prefix = `bench-${randomBytes(4).toString("hex")}`;
try {
  say(`load average at start (1/5/15 min): ${load()}`);
  await runMigrations(u.toString());
  const adminToken = randomBytes(24).toString("hex");
  api = await startApiProcess(
    {
      DATABASE_URL: u.toString(),
      REDIS_URL: redisUrl,
      ADMIN_TOKEN: adminToken,
      SECRETS_KEY: randomBytes(32).toString("base64"),
      PORT: String(await freePort()),
      LOG_LEVEL: "debug",
      QUEUE_PREFIX: prefix,
      RATE_LIMIT_CLUSTER_PER_MIN: "100000",
      // INGEST_THREADS=<n> npm run bench:ingest-real: the API's ingest threads (its default otherwise)
      ...(process.env.INGEST_THREADS ? { INGEST_THREADS: process.env.INGEST_THREADS } : {}),
    },
    "api",
    process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(" ") : [],
  );
  const { url } = api;
  const pid = api.proc.child.pid as number;
  const post = async (path: string, token: string, body: unknown) =>
    (await (
      await fetch(`${url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      })
    ).json()) as unknown;
  const t = (await post("/admin/v1/tenants", adminToken, { name: "bench" })) as { token: string };
  const clusters = await Promise.all(
    [1, 2, 3, 4].map(
      async (i) =>
        (await post("/v1/clusters", t.token, { name: `bench-${i}` })) as {
          key: { keyId: string; secret: string };
        },
    ),
  );

  const { json: report, findings, resources } = generateRealTrivyK8s(n);
  const bodies: Buffer[] = [];
  let jsonBytes = 0;
  for (let i = 0; i < 7; i++) {
    const env = Buffer.concat([
      Buffer.from(
        `{"schemaVersion":1,"source":"trivy","collectedAt":"${new Date(Date.now() - 600_000 + i * 1000).toISOString()}","report":`,
      ),
      report,
      Buffer.from("}"),
    ]);
    jsonBytes = env.length;
    bodies.push(gzipSync(env));
  }
  say(
    `report: ${findings} findings, ${resources} resources, ${(jsonBytes / 1e6).toFixed(1)} MB JSON, ${((bodies[0] as Buffer).length / 1e6).toFixed(1)} MB gzipped`,
  );

  const upload = async (body: Buffer, key: { keyId: string; secret: string }) => {
    const headers = {
      "content-type": "application/json",
      "content-encoding": "gzip",
      ...signRequest({ method: "POST", path: "/v1/reports", body, keyId: key.keyId, secret: key.secret }),
    };
    const t0 = performance.now();
    const res = await fetch(`${url}/v1/reports`, { method: "POST", headers, body });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - t0 };
  };

  // reference, same run: the least an API that parses pays for this body (in this process)
  const refs: number[] = [];
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    JSON.parse(gunzipSync(bodies[0] as Buffer).toString("utf8"));
    refs.push(performance.now() - t0);
  }
  say(`reference: gunzip + JSON.parse of the body in this process: ${refs.map(ms).join(", ")}`);

  const idle = await healthzDuring(url, () => new Promise((r) => setTimeout(r, 3_000)));
  const idleRss = rssMb(pid, "VmRSS");
  say(
    `/healthz idle: p50 ${ms(pct(idle.lat, 50))}, p99 ${ms(pct(idle.lat, 99))}, max ${ms(Math.max(...idle.lat))}; API RSS ${idleRss.toFixed(0)} MiB`,
  );

  const single: { status: number; ms: number }[] = [];
  for (let i = 0; i < 3; i++) single.push(await upload(bodies[i] as Buffer, clusters[0]?.key as never));
  say(`one upload at a time, POST → answer: ${single.map((s) => `${s.status} in ${ms(s.ms)}`).join(", ")}`);

  resetPeak(pid);
  const four = await healthzDuring(url, () =>
    Promise.all([3, 4, 5, 6].map((i, k) => upload(bodies[i] as Buffer, clusters[k]?.key as never))),
  );
  const peak = rssMb(pid, "VmHWM");
  say(
    `four at once: ${four.result.map((s) => `${s.status} in ${ms(s.ms)}`).join(", ")}; /healthz meanwhile p50 ${ms(pct(four.lat, 50))}, p99 ${ms(pct(four.lat, 99))}, max ${ms(Math.max(...four.lat))} over ${four.lat.length}`,
  );
  say(
    `API peak RSS during the four: ${peak.toFixed(0)} MiB (idle ${idleRss.toFixed(0)} MiB): ${((peak - idleRss) / 4).toFixed(0)} MiB per upload in flight`,
  );
  say(`load average at end (1/5/15 min): ${load()}`);
  for (const l of api.proc.lines.filter((x) => !x.includes("upload phases") && !x.includes('"request"')))
    say(l.slice(0, 400));
  for (const l of api.proc.lines.filter((x) => x.includes("upload phases"))) {
    const m = JSON.parse(l) as { ms: Record<string, number> };
    say(
      `  phases: ${Object.entries(m.ms)
        .map(([k, v]) => `${k} ${v.toFixed(0)}`)
        .join(", ")} ms`,
    );
  }
} finally {
  if (api?.proc.unexpectedExit)
    say(`API exited: ${JSON.stringify(api.proc.unexpectedExit)}\n${api.proc.lines.slice(-10).join("\n")}`);
  await api?.proc.stop().catch(() => {});
  const { Redis } = await import("ioredis");
  const r = new Redis(redisUrl);
  let cursor = "0";
  do {
    const [next, keys] = await r.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await r.del(...keys);
  } while (cursor !== "0");
  r.disconnect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
