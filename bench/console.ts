/**
 * npm run bench:console [-- N]: the console's posture page (GET /app: score, categories and strategies, the
 * 90-day trend, changes in the last day and week, silent collectors) for a tenant with N findings (default
 * 1,000,000) over 20 clusters and 90 days of posture history, signed in through a one-time link (the session
 * cookie), through the real HTTP API on localhost. Beside it in the same run: GET /v1/posture (the JSON route
 * of the same counters) and GET /v1/posture/history (the same 90 days) with an API token, and GET /app/findings
 * (the first page of the findings table).
 */
import { signInLinkFor, startApi } from "@bulwark/api/server";
import { createAppPool, createLogger, loadConfig, runMigrations } from "@bulwark/runtime";
import pg from "pg";
import { bulkLoad, loadAverage, percentile, say, scratchDatabase, seedBigTenant } from "./lib/big-tenant.js";
import { benchEnv } from "./lib/env.js";

const n = Number(process.argv[2] ?? process.env.BENCH_FINDINGS ?? 1_000_000);
const RUNS = 100;
const db = await scratchDatabase("bulwark_bench_console");
const fmt = (xs: number[]) =>
  `p50 ${percentile(xs, 50).toFixed(1)} ms, p95 ${percentile(xs, 95).toFixed(1)} ms, p99 ${percentile(xs, 99).toFixed(1)} ms`;

/** Sequential GETs with the given headers; latencies in ms, sorted. */
async function timed(url: string, headers: Record<string, string>, runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers, redirect: "manual" });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

try {
  await runMigrations(db.url);
  const config = loadConfig({
    ...benchEnv(db.url),
    PORT: "0",
  });
  const api = await startApi(config, createLogger("warn"));
  const created = (await (
    await fetch(new URL("/admin/v1/tenants", api.url), {
      method: "POST",
      headers: { authorization: `Bearer ${config.ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "big" }),
    })
  ).json()) as { tenant: { id: string }; token: string };
  const tenantId = created.tenant.id;
  const owner = new pg.Client({ connectionString: db.url });
  owner.on("error", () => {}); // the scratch database is dropped with FORCE at the end
  await owner.connect();
  const t0 = performance.now();
  await bulkLoad(owner, () => seedBigTenant(owner, { tenantId, clusters: 20, n, descriptionBytes: 300 }));
  // 90 days of history per cluster, each day the cluster's current counts (the shape the closing job writes)
  await owner.query(
    `INSERT INTO posture_daily (tenant_id, cluster_id, day, counts, origin)
     SELECT c.tenant_id, c.cluster_id, d::date, c.counts, 'written'
     FROM (SELECT tenant_id, cluster_id, jsonb_object_agg(strategy, arr) AS counts
           FROM (SELECT tenant_id, cluster_id, strategy,
                   jsonb_build_array(sum(n) FILTER (WHERE severity = 'critical'), sum(n) FILTER (WHERE severity = 'high'),
                     sum(n) FILTER (WHERE severity = 'medium'), sum(n) FILTER (WHERE severity = 'low'),
                     sum(n) FILTER (WHERE severity = 'info')) AS arr
                 FROM posture_counts WHERE tenant_id = $1 GROUP BY 1, 2, 3) s
           GROUP BY 1, 2) c,
       generate_series(current_date - 89, current_date, interval '1 day') AS d
     ON CONFLICT DO NOTHING`,
    [tenantId],
  );
  const events = await owner.query(
    "SELECT count(*)::int AS n FROM finding_events WHERE tenant_id = $1 AND at > now() - interval '7 days'",
    [tenantId],
  );
  say(
    `seeded ${n.toLocaleString("en")} findings over 20 clusters, 90 days of history, ${events.rows[0].n.toLocaleString("en")} status changes in the last 7 days, in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );

  // sign in as a person would: the demo's one-time link, posted, answered with the session cookie
  const pool = createAppPool(db.url, { max: 1 });
  const link = await signInLinkFor({
    pool,
    tenantId,
    email: "bench@example.com",
    displayName: "Bench",
    role: "owner",
  });
  await pool.end();
  const token = new URL(link.path, api.url).searchParams.get("token") ?? "";
  const signed = await fetch(new URL("/v1/auth/link", api.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token }),
  });
  const cookie = signed.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  if (signed.status !== 200 || !cookie.includes("bulwark_session")) throw new Error("sign-in failed");
  const session = { cookie };
  const bearer = { authorization: `Bearer ${created.token}` };
  say(`load average before measuring: ${await loadAverage()}`);

  const page = new URL("/app", api.url).toString();
  const first = await timed(page, session, 1);
  say(`GET /app (posture page), first request after start: ${first[0]?.toFixed(1)} ms`);
  await timed(page, session, 10); // warm-up
  const html = await (await fetch(page, { headers: session })).text();
  say(
    `  page size ${(html.length / 1024).toFixed(0)} KiB, trend points: ${html.match(/<tr><td>\d{4}-\d\d-\d\d</g)?.length}`,
  );
  const results: [string, number[]][] = [
    [`GET /app (posture page, session), ${RUNS} sequential`, await timed(page, session, RUNS)],
    [
      `GET /v1/posture (JSON, token), ${RUNS} sequential`,
      await timed(new URL("/v1/posture", api.url).toString(), bearer, RUNS),
    ],
    [
      `GET /v1/posture/history (90 days, JSON, token), ${RUNS} sequential`,
      await timed(new URL("/v1/posture/history", api.url).toString(), bearer, RUNS),
    ],
    [
      `GET /app/findings (first page of 50, session), ${RUNS} sequential`,
      await timed(new URL("/app/findings", api.url).toString(), session, RUNS),
    ],
  ];
  for (const [label, xs] of results) say(`${label}: ${fmt(xs)}`);
  say(`load average after: ${await loadAverage()}`);
  await owner.end();
  await api.close();
} finally {
  await db.drop();
}
