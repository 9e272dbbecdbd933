/**
 * npm run bench:queries: the read routes at 10,000,000 findings over 1,000 tenants (bench/lib/fleet-data.ts;
 * load it once with `npm run bench:queries-load`). Every GET /v1/findings filter and sort, on the first page
 * and on a deep keyset page (the cursor of the row 100,000 deep, or halfway through a smaller set), then
 * posture, summaries, groups and the changes feed, for the 2,000,000-findings tenant and a small one.
 * Each through the real HTTP API (in process) with autocannon at 8 connections; beside it, in the same run, the
 * very statement the API sent (captured from the pg client) run directly as the application role in the
 * tenant's transaction, and its EXPLAIN (ANALYZE, BUFFERS). Plans go to bench/results/queries-explain.txt.
 * Not in CI (it needs the 10M database and takes a while).
 */

import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { startApi } from "@bulwark/api/server";
import { createAppPool, createLogger, loadConfig, runMigrations, withTenant } from "@bulwark/runtime";
import autocannon from "autocannon";
import pg from "pg";
import { startApiProcess } from "../test/faults/support/processes.js";
import { freePort } from "../test/faults/support/services.js";
import { loadAverage, percentile, say } from "./lib/big-tenant.js";
import { type Captured, captureQueries } from "./lib/capture.js";
import { benchTenants, databaseExists } from "./lib/fleet-data.js";

const admin = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = process.env.BENCH_10M_DB ?? "bulwark_bench_10m";
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;
if (!(await databaseExists(admin, name))) {
  say(`${name} does not exist: run npm run bench:queries-load first`);
  process.exit(1);
}
const u = new URL(admin);
u.pathname = `/${name}`;
const url = u.toString();
await runMigrations(url);
const configEnv: Record<string, string> = {
  DATABASE_URL: url,
  REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
  ADMIN_TOKEN: randomBytes(24).toString("hex"),
  SECRETS_KEY: randomBytes(32).toString("base64"),
  PORT: "0",
  LOG_LEVEL: "warn",
  QUEUE_PREFIX: `{bench-${randomBytes(4).toString("hex")}}`,
  // 8 connections of one tenant at once: the fair-sharing limits would refuse most of them (by design)
  TENANT_QUERY_CONCURRENCY: "16",
  QUERY_CONCURRENCY: "16",
  DB_POOL_MAX: "20",
  QUERY_TIMEOUT_MS: "120000",
};
const config = loadConfig(configEnv);
// set_config('work_mem', …): a route's transaction-local planner settings (groups), replayed by the reference
const capture = captureQueries(
  /from findings f|posture_counts|finding_events|posture_daily|set_config\('work_mem'/i,
);
const SETTINGS = /set_config\('work_mem'/;
// the API answering the load runs as its own process (as in production), not on the bench's event loop; an
// in-process one serves only to capture each route's statement for the direct reference
const api = await startApi(config, createLogger("warn"));
const served = await startApiProcess({ ...configEnv, PORT: String(await freePort()) }, "api");
// an interrupted or failed run must not leave the API process behind
process.on("exit", () => served.proc.child.kill("SIGKILL"));
const owner = new pg.Client({ connectionString: url });
await owner.connect();
const ref = createAppPool(url, { max: 8, applicationName: "bench-reference", jit: false });
const tenants = await benchTenants(owner);
const plans: string[] = [];
const PLANS = process.env.BENCH_PLANS ?? "bench/results/queries-explain.txt";
const TABLE = process.env.BENCH_TABLE ?? "bench/results/queries-table.md";
const rows: string[] = [];

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0));
const fmt = (xs: number[]) =>
  `${ms(percentile(xs, 50))} / ${ms(percentile(xs, 95))} / ${ms(percentile(xs, 99))}`;

async function get(path: string, token: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(new URL(path, api.url), { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

let failures = 0;

/** p50/p95/p99 of `amount` requests at 8 connections (autocannon), every answer 200. */
async function cannon(path: string, token: string, amount: number): Promise<number[]> {
  const times: number[] = [];
  const r = await autocannon({
    url: new URL(path, served.url).toString(),
    connections: 8,
    amount,
    timeout: 60,
    headers: { authorization: `Bearer ${token}` },
    setupClient: (client) => {
      client.on("response", (status: number, _bytes: number, time: number) => {
        if (status === 200) times.push(time);
      });
    },
  });
  // a timeout (autocannon gives up after `timeout` s) or a refusal (503 when the fair-sharing queue waited past
  // QUERY_QUEUE_MS) is counted, not fatal: the row says how many
  failures += r.errors + r.timeouts + r.non2xx;
  return times.sort((a, b) => a - b);
}

/** The captured statement, run directly: timings and its plan. */
async function reference(
  tenantId: string,
  q: Captured,
  runs: number,
  settings?: Captured,
): Promise<{ times: number[]; plan: string }> {
  const times: number[] = [];
  let plan = "";
  await withTenant(ref, tenantId, async (_db, client) => {
    await client.query("SET LOCAL statement_timeout = 0");
    if (settings) await client.query(settings.text, settings.values);
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await client.query(q.text, q.values);
      times.push(performance.now() - t0);
    }
    const r = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, q.values);
    plan = r.rows.map((x) => x["QUERY PLAN"]).join("\n");
  });
  return { times: times.sort((a, b) => a - b), plan };
}

const mainQuery = (qs: Captured[]): Captured => {
  const q = qs.filter((x) => !/^\s*select id from clusters/i.test(x.text)).at(-1);
  if (!q) throw new Error("no statement captured");
  return q;
};

const planNotes = (plan: string) => {
  const notes: string[] = [];
  if (/Seq Scan on (findings|finding_events)/.test(plan)) notes.push("SEQ SCAN");
  const sort = /Sort Method: (\S+ \S+)\s+(?:Memory|Disk): (\d+)kB/.exec(plan);
  if (sort) notes.push(`sort ${sort[1]} ${sort[2]} kB`);
  if (/SubPlan/.test(plan)) notes.push("SubPlan");
  const exec = /Execution Time: ([\d.]+) ms/.exec(plan);
  return { notes: notes.join(", ") || "index only", exec: exec ? Number(exec[1]) : Number.NaN };
};

/** A cursor for the row `deep` rows into the list's order (or halfway through a smaller result). */
async function deepCursor(tenantId: string, sort: string, q: Captured, deep: number): Promise<string | null> {
  const limit = q.values.at(-1); // the statement's last parameter is its limit (so are its branches')
  for (let k = deep; k >= 10; k = Math.floor(k / 4)) {
    const values = q.values.map((v) => (v === limit ? k + 1 : v));
    const r = await withTenant(ref, tenantId, async (_db, client) => {
      await client.query("SET LOCAL statement_timeout = 0");
      return client.query(
        `SELECT severity_rank, last_seen_key, first_seen_key, rule_id, id FROM (${q.text}) x OFFSET ${k}`,
        values,
      );
    });
    const row = r.rows[0];
    if (!row) continue;
    const key = sort.replace(/^-/, "");
    const parts =
      key === "severity"
        ? [row.severity_rank, row.last_seen_key, row.id]
        : key === "lastSeenAt"
          ? [row.last_seen_key, row.id]
          : key === "firstSeenAt"
            ? [row.first_seen_key, row.id]
            : [row.rule_id, row.id];
    return Buffer.from(JSON.stringify([sort, ...parts])).toString("base64url");
  }
  return null;
}

async function run(label: string, tenantId: string, token: string, path: string, amount: number) {
  capture.clear();
  const first = await get(path, token);
  if (first.status !== 200) throw new Error(`${path}: ${first.status} ${JSON.stringify(first.body)}`);
  const taken = capture.take();
  const settings = taken.find((x) => SETTINGS.test(x.text));
  const q = mainQuery(taken.filter((x) => !SETTINGS.test(x.text)));
  const probe = performance.now();
  await get(path, token);
  const slow = performance.now() - probe > 250;
  const n = slow ? 24 : amount;
  await cannon(path, token, slow ? 8 : 40); // warm-up
  const load = (await loadAverage()).split(" ")[0];
  failures = 0;
  const times = await cannon(path, token, n);
  const direct = await reference(tenantId, q, slow ? 3 : 50, settings);
  const { notes, exec } = planNotes(direct.plan);
  plans.push(
    `### ${label}\nGET ${path}\n\n${q.text}\n-- params: ${JSON.stringify(q.values)}\n\n${direct.plan}\n`,
  );
  const lost = failures > 0 ? ` (${failures} of ${n} timed out or refused)` : "";
  const row = `| ${label} | ${fmt(times)}${lost} | ${fmt(direct.times)} | ${ms(exec)} | ${notes} | ${load} |`;
  rows.push(row);
  say(row);
  // written as it goes: a long run interrupted keeps what it measured
  mkdirSync("bench/results", { recursive: true });
  writeFileSync(PLANS, plans.join("\n"));
  writeFileSync(TABLE, rows.join("\n"));
  return q;
}

const big = tenants[0] as { id: string; n: number; token: string };
const small = tenants.find((t) => t.token && t.n < 100_000) as { id: string; n: number; token: string };
const cl = await owner.query<{ id: string; name: string }>(
  // cluster-2: in the generated data cluster-1 holds only resolved findings (its k are multiples of 10)
  "SELECT id, name FROM clusters WHERE tenant_id = $1 AND name = 'cluster-2'",
  [big.id],
);
const cluster = cl.rows[0] as { id: string; name: string };
const week = new Date(Date.now() - 7 * 86_400_000).toISOString();
say(
  `${name}: load average ${await loadAverage()}; tenants: ${big.n.toLocaleString("en")} and ${small.n.toLocaleString("en")} findings`,
);
say(
  "| case | API p50 / p95 / p99 ms (8 conn) | same SQL direct p50 / p95 / p99 ms | EXPLAIN ANALYZE ms | plan | load 1m |",
);
say("| --- | --- | --- | --- | --- | --- |");

const LIST: [string, Record<string, string>][] = [
  ["default (open, severity)", {}],
  ...["-severity", "lastSeenAt", "-lastSeenAt", "firstSeenAt", "-firstSeenAt", "ruleId", "-ruleId"].map(
    (s): [string, Record<string, string>] => [`sort=${s}`, { sort: s }],
  ),
  ["status=all", { status: "all" }],
  ["status=all&sort=-lastSeenAt", { status: "all", sort: "-lastSeenAt" }],
  ["status=resolved", { status: "resolved" }],
  ["status=suppressed", { status: "suppressed" }],
  ["cluster=<id>", { cluster: cluster.id }],
  ["cluster=<name>", { cluster: cluster.name }],
  ["source=trivy", { source: "trivy" }],
  ["severity=critical", { severity: "critical" }],
  ["category=INT", { category: "INT" }],
  ["strategy=INT-VULN", { strategy: "INT-VULN" }],
  ["namespace=ns-7", { namespace: "ns-7" }],
  ["kind=Deployment", { kind: "Deployment" }],
  ["name=app-7", { name: "app-7" }],
  ["ruleId=CVE-2024-10007", { ruleId: "CVE-2024-10007" }],
  ["q=number 42", { q: "number 42" }],
  ["q=number 4242 (1 title in 5,000)", { q: "number 4242" }],
  ["q=libssl (every title)", { q: "libssl" }],
  ["since=7 days ago", { since: week }],
];

for (const [t, who] of [
  [big, "2M tenant"],
  [small, "small tenant"],
] as const) {
  for (const [label, params] of LIST) {
    const name = `${who}: list ${label}`;
    if (only && !only.test(name)) continue;
    // the cluster cases name a cluster of the big tenant: another tenant would match nothing (no statement)
    if (t !== big && params.cluster) continue;
    const path = `/v1/findings?${new URLSearchParams({ limit: "50", ...params })}`;
    const q = await run(`${name}, first page`, t.id, t.token, path, 240);
    const cursor = await deepCursor(t.id, params.sort ?? "severity", q, 100_000);
    if (cursor) await run(`${name}, deep page`, t.id, t.token, `${path}&cursor=${cursor}`, 240);
  }
  const other: [string, string][] = [
    ["posture", "/v1/posture"],
    ["posture, one cluster", `/v1/posture?cluster=${t === big ? cluster.id : ""}`],
    ["summary groupBy=severity", "/v1/findings/summary?groupBy=severity"],
    ["summary groupBy=strategy,severity", "/v1/findings/summary?groupBy=strategy,severity"],
    ["summary groupBy=cluster,source", "/v1/findings/summary?groupBy=cluster,source"],
    ["groups by=rule", "/v1/findings/groups?by=rule"],
    ["changes (last week)", "/v1/changes"],
  ];
  for (const [label, path] of other) {
    const name = `${who}: ${label}`;
    if (only && !only.test(name)) continue;
    if (path.endsWith("cluster=")) continue;
    await run(name, t.id, t.token, path, 240);
  }
}
say(`load average after: ${await loadAverage()}`);
await ref.end();
await owner.end();
await api.close();
await served.proc.stop();
process.exit(0);
