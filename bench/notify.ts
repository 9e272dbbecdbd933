/**
 * npm run bench:notify [-- N]: how long a notification summary takes to build for a tenant with N findings
 * (default 1,000,000) over 20 clusters, through the real preview route (the same buildSummary a scheduled
 * tick runs, plus rendering): a rule with no filters and one with cluster + namespace glob + minimum severity,
 * for a daily period (the seeded changes spread over 300 days: a few thousand per day). Beside it, measured in
 * the same run: GET /v1/posture and GET /v1/findings/groups for the critical/high items, the two routes whose
 * queries a summary runs among others.
 */
import { startApi } from "@bulwark/api/server";
import { createLogger, loadConfig, runMigrations } from "@bulwark/runtime";
import pg from "pg";
import {
  bulkLoad,
  loadAverage,
  measure,
  percentile,
  say,
  scratchDatabase,
  seedBigTenant,
} from "./lib/big-tenant.js";
import { benchEnv } from "./lib/env.js";

const n = Number(process.argv[2] ?? process.env.BENCH_FINDINGS ?? 1_000_000);
const db = await scratchDatabase("bulwark_bench_notify");
const fmt = (xs: number[]) =>
  `p50 ${percentile(xs, 50).toFixed(0)} ms, p95 ${percentile(xs, 95).toFixed(0)} ms, max ${(xs.at(-1) ?? 0).toFixed(0)} ms`;
try {
  await runMigrations(db.url);
  const config = loadConfig({
    ...benchEnv(db.url),
    PORT: "0",
    NOTIFY_ALLOW_PRIVATE_NETWORKS: "true",
  });
  const api = await startApi(config, createLogger("warn"));
  const post = async (path: string, token: string, body: unknown) => {
    const res = await fetch(new URL(path, api.url), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const created = (await post("/admin/v1/tenants", config.ADMIN_TOKEN, { name: "big" })) as {
    tenant: { id: string };
    token: string;
  };
  const owner = new pg.Client({ connectionString: db.url });
  await owner.connect();
  const t0 = performance.now();
  const clusters = await bulkLoad(owner, () =>
    seedBigTenant(owner, { tenantId: created.tenant.id, clusters: 20, n, descriptionBytes: 300 }),
  );
  // changes recorded when they happened, as a live system records them
  await owner.query("UPDATE finding_events SET recorded_at = at WHERE tenant_id = $1", [created.tenant.id]);
  await owner.query("ANALYZE");
  say(`seeded ${n.toLocaleString("en")} findings in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const day = await owner.query(
    "SELECT count(*)::int AS n FROM finding_events WHERE tenant_id = $1 AND recorded_at >= now() - interval '1 day'",
    [created.tenant.id],
  );
  say(`changes recorded in the last day: ${day.rows[0].n.toLocaleString("en")}`);
  const ruleBody = (filters: unknown) => ({
    name: "bench",
    schedule: { cron: "0 0 * * *", timezone: "UTC" },
    channel: { type: "webhook", url: "http://127.0.0.1:9/hook" },
    filters,
  });
  const all = (await post("/v1/notification-rules", created.token, ruleBody({}))) as { id: string };
  const narrow = (await post(
    "/v1/notification-rules",
    created.token,
    ruleBody({ clusters: [clusters[0]], namespaces: ["ns-1*"], minSeverity: "high" }),
  )) as { id: string };
  // a daily period: the rule's last tick is today's midnight; move it back to make the period a full day
  const start = new Date(Date.now() - 86_400_000).toISOString();
  await owner.query(
    `INSERT INTO notification_deliveries (id, tenant_id, rule_id, kind, period_start, period_end, status, channel_type, summary)
     SELECT 'dlv_bench_' || r.id, r.tenant_id, r.id, 'scheduled', $2::timestamptz - interval '1 day', $2::timestamptz, 'sent', 'webhook', '{}'
     FROM notification_rules r WHERE r.tenant_id = $1`,
    [created.tenant.id, start],
  );
  say(`load average before measuring: ${await loadAverage()}`);
  const url = (p: string) => new URL(p, api.url).toString();
  await measure(url(`/v1/notification-rules/${all.id}/preview`), created.token, 2, 1); // warm-up
  const everything = await measure(url(`/v1/notification-rules/${all.id}/preview`), created.token, 20, 1);
  const filtered = await measure(url(`/v1/notification-rules/${narrow.id}/preview`), created.token, 20, 1);
  const posture = await measure(url("/v1/posture"), created.token, 20, 1);
  const groups = await measure(
    url("/v1/findings/groups?status=open&severity=critical,high&limit=10"),
    created.token,
    20,
    1,
  );
  say(`summary (preview), no filters, one day: ${fmt(everything)}`);
  say(`summary (preview), one cluster + namespace glob + high and above: ${fmt(filtered)}`);
  say(`reference, GET /v1/posture: ${fmt(posture)}`);
  say(`reference, GET /v1/findings/groups (open critical+high, 10 groups): ${fmt(groups)}`);
  say(`load average after: ${await loadAverage()}`);
  await owner.end();
  await api.close();
} finally {
  await db.drop();
}
