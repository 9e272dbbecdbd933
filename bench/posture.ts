/**
 * npm run bench:posture [-- N]: GET /v1/posture for a tenant with N findings (default 2,000,000) over 20
 * clusters, with 100,000 findings of other tenants beside it, through the real HTTP API running as its own
 * process (as in production), loaded by autocannon: p50/p95/p99 at 1 and at 8 connections, for the tenant and
 * for one cluster, and GET /v1/findings/summary?groupBy=severity (also read from the counters). Beside it,
 * measured in the same run: the counters query run directly on a pg connection, its EXPLAIN ANALYZE, the query
 * the counters replaced (count of open findings with a per-row suppression check) and the summary's count over
 * the findings, once each. BENCH_CPU_PROF=<dir> writes the API process's CPU profile there.
 */
import { runMigrations } from "@bulwark/runtime";
import { newId } from "@bulwark/schema";
import autocannon from "autocannon";
import pg from "pg";
import { startApiProcess } from "../test/faults/support/processes.js";
import { freePort } from "../test/faults/support/services.js";
import { bulkLoad, loadAverage, percentile, say, scratchDatabase, seedBigTenant } from "./lib/big-tenant.js";
import { benchEnv } from "./lib/env.js";

const n = Number(process.argv[2] ?? process.env.BENCH_FINDINGS ?? 2_000_000);
const db = await scratchDatabase("bulwark_bench_posture");
const fmt = (xs: number[]) =>
  `p50 ${percentile(xs, 50).toFixed(2)} ms, p95 ${percentile(xs, 95).toFixed(2)} ms, p99 ${percentile(xs, 99).toFixed(2)} ms`;
try {
  await runMigrations(db.url);
  const env: Record<string, string> = {
    ...benchEnv(db.url),
    PORT: String(await freePort()),
    HOST: "127.0.0.1",
    // 8 connections of one tenant at once: the fair-sharing limits would refuse most of them (by design)
    TENANT_QUERY_CONCURRENCY: "16",
    QUERY_CONCURRENCY: "16",
    DB_POOL_MAX: "20",
  };
  const prof = process.env.BENCH_CPU_PROF;
  const api = await startApiProcess(env, "api", prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : []);
  process.on("exit", () => api.proc.child.kill("SIGKILL"));
  const config = { ADMIN_TOKEN: env.ADMIN_TOKEN as string };
  const created = (await (
    await fetch(new URL("/admin/v1/tenants", api.url), {
      method: "POST",
      headers: { authorization: `Bearer ${config.ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "big" }),
    })
  ).json()) as { tenant: { id: string }; token: string };
  const owner = new pg.Client({ connectionString: db.url });
  owner.on("error", () => {}); // the scratch database is dropped with FORCE at the end
  await owner.connect();
  const t0 = performance.now();
  const clusters = await bulkLoad(owner, async () => {
    const ids = await seedBigTenant(owner, {
      tenantId: created.tenant.id,
      clusters: 20,
      n,
      descriptionBytes: 300,
    });
    for (let i = 0; i < 10; i++) {
      const other = newId("tenant");
      await owner.query("INSERT INTO tenants (id, name) VALUES ($1, $2)", [other, `noise-${i}`]);
      await seedBigTenant(owner, { tenantId: other, clusters: 2, n: 10_000, descriptionBytes: 300 });
    }
    return ids;
  });
  say(
    `seeded ${n.toLocaleString("en")} findings (+100,000 of 10 other tenants) in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  // the steady state: the load's autovacuum would otherwise run under the measurements
  await owner.query("VACUUM (ANALYZE) findings, finding_events, posture_counts, posture_resolved");
  const rows = await owner.query("SELECT count(*)::int AS n FROM posture_counts WHERE tenant_id = $1", [
    created.tenant.id,
  ]);
  say(`posture_counts rows for the tenant: ${rows.rows[0].n}`);
  say(`load average before measuring: ${await loadAverage()}`);

  const url = new URL("/v1/posture", api.url).toString();
  await measure(url, created.token, 50, 1); // warm-up
  const seq = await measure(url, created.token, 500, 1);
  const conc = await measure(url, created.token, 1000, 8);
  const one = await measure(`${url}?cluster=${clusters[0]}`, created.token, 500, 8);
  const summaryUrl = new URL("/v1/findings/summary?groupBy=severity", api.url).toString();
  const summary = await measure(summaryUrl, created.token, 500, 8);
  const health = await measure(new URL("/healthz", api.url).toString(), "", 1000, 8);
  say(`GET /v1/posture, 1 connection, 500 requests: ${fmt(seq)}`);
  say(`GET /v1/posture, 8 connections, 1000 requests: ${fmt(conc)}`);
  say(`GET /v1/posture?cluster=…, 8 connections, 500 requests: ${fmt(one)}`);
  say(`GET /v1/findings/summary?groupBy=severity, 8 connections, 500 requests: ${fmt(summary)}`);
  say(`reference, GET /healthz (no auth, no query), 8 connections, 1000 requests: ${fmt(health)}`);

  // the same SQL on a plain connection, and its plan
  const app = new pg.Client({ connectionString: db.url });
  app.on("error", () => {});
  await app.connect();
  const q = `SELECT strategy, severity, sum(n)::int FROM posture_counts WHERE tenant_id = $1 AND suppressed_until <= now() GROUP BY 1, 2`;
  const direct: number[] = [];
  for (let i = 0; i < 500; i++) {
    const s = performance.now();
    await app.query(q, [created.tenant.id]);
    direct.push(performance.now() - s);
  }
  direct.sort((a, b) => a - b);
  say(`reference, the counters query alone on a pg connection (500 runs): ${fmt(direct)}`);
  const plan = await app.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.replace("$1", `'${created.tenant.id}'`)}`);
  say(`EXPLAIN ANALYZE:\n${plan.rows.map((r) => `    ${r["QUERY PLAN"]}`).join("\n")}`);
  const s = performance.now();
  await app.query(
    `SELECT f.strategy, f.severity, count(*) FROM findings f WHERE f.tenant_id = $1 AND f.status = 'open'
       AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.tenant_id = f.tenant_id AND s.expires_at > now()
         AND (s.rule_id IS NULL OR s.rule_id = f.rule_id)) GROUP BY 1, 2`,
    [created.tenant.id],
  );
  say(`reference, the recount the counters replaced (once): ${(performance.now() - s).toFixed(0)} ms`);
  const s2 = performance.now();
  await app.query(
    `SELECT f.severity, count(*) FROM findings f JOIN clusters c ON c.id = f.cluster_id WHERE f.tenant_id = $1
       AND f.status = 'open' AND NOT (f.suppressed_until IS NOT NULL AND f.suppressed_until > now()) GROUP BY 1`,
    [created.tenant.id],
  );
  say(
    `reference, the summary by severity counted over the findings (once): ${(performance.now() - s2).toFixed(0)} ms`,
  );
  say(`load average after: ${await loadAverage()}`);
  await app.end();
  await owner.end();
  await api.proc.stop();
} finally {
  await db.drop();
}

/** p50/p95/p99 (sorted ms) of `amount` requests at `connections` (autocannon, its own timer), every answer 200. */
async function measure(url: string, token: string, amount: number, connections: number): Promise<number[]> {
  const times: number[] = [];
  const r = await autocannon({
    url,
    connections,
    amount,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    setupClient: (client) => {
      client.on("response", (_status: number, _bytes: number, time: number) => {
        times.push(time);
      });
    },
  });
  if (r.non2xx + r.errors + r.timeouts > 0)
    throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  return times.sort((a, b) => a - b);
}
