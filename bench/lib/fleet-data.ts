import { newApiToken } from "@bulwark/runtime";
import { newId, STRATEGIES } from "@bulwark/schema";
import pg from "pg";
import { say } from "./big-tenant.js";

/**
 * The 10M-findings data set of `npm run bench:queries`: 1,000 tenants, skewed like a real fleet (three
 * tenants of 2, 1.5 and 1 million findings, the rest a few thousand each, 5.5 million in all), each finding
 * with its history (opened; 10 % resolved; 2 % resolved and reopened), some rules suppressed. Rows are lean
 * but of real shape (ids, CVE/KSV rule ids, namespaced workloads, images, a short description): the text
 * columns that matter to the plans have real cardinality, the bulky JSON that does not is kept short.
 *
 * Loaded once into a database of its own (BENCH_10M_DB, default bulwark_bench_10m) and reused by later runs:
 * the load takes tens of minutes on two cores. Every statement is set-based over all tenants at once.
 */
export const BIG_TENANTS = [2_000_000, 1_500_000, 1_000_000];
export const TENANTS = 1_000;
export const TOTAL = 10_000_000;

export interface BenchTenant {
  id: string;
  n: number;
  /** API token (the three big ones, one small one): the bench reads through the HTTP API as them */
  token?: string;
}

/** Findings per tenant: the big ones, then the rest spread unevenly (x^2 skew) over ~2,500–11,500 each. */
function sizes(): number[] {
  const rest = TOTAL - BIG_TENANTS.reduce((a, b) => a + b, 0);
  const k = TENANTS - BIG_TENANTS.length;
  const weights = Array.from({ length: k }, (_, i) => 1 + (3.5 * ((i * 7919) % k) ** 2) / k ** 2);
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = weights.map((w) => Math.floor((w / sum) * rest));
  out[0] = (out[0] as number) + rest - out.reduce((a, b) => a + b, 0);
  return [...BIG_TENANTS, ...out];
}

export async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  const a = new pg.Client({ connectionString: adminUrl });
  await a.connect();
  const r = await a.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  await a.end();
  return r.rowCount === 1;
}

/** Tenants, tokens, clusters, findings, events, suppressions and the maintained state; indexes built after. */
export async function loadFleet(db: pg.Client): Promise<void> {
  const n = sizes();
  const tenants = n.map((count, i) => ({ id: newId("tenant"), n: count, name: `tenant-${i}` }));
  await db.query("INSERT INTO tenants (id, name) SELECT * FROM unnest($1::text[], $2::text[])", [
    tenants.map((t) => t.id),
    tenants.map((t) => t.name),
  ]);
  // tokens for the tenants the bench reads as: the three big ones and a small one
  const tokens = [0, 1, 2, 500].map((i) => ({
    tenantId: (tenants[i] as { id: string }).id,
    ...newApiToken(),
  }));
  for (const t of tokens) {
    await db.query(
      `INSERT INTO api_tokens (id, tenant_id, name, token_hash, prefix, scopes)
       VALUES ($1, $2, 'bench', $3, $4, ARRAY['read'])`,
      [newId("apiToken"), t.tenantId, t.hash, t.prefix],
    );
  }
  await db.query(
    `CREATE TABLE IF NOT EXISTS bench_tenants (ord int PRIMARY KEY, tenant_id text NOT NULL, n int NOT NULL,
       first bigint NOT NULL, clusters int NOT NULL, token text)`,
  );
  let first = 0;
  for (const [i, t] of tenants.entries()) {
    const token = tokens.find((k) => k.tenantId === t.id)?.token ?? null;
    const clusters = t.n >= 1_000_000 ? 20 : 1 + (i % 5);
    await db.query("INSERT INTO bench_tenants VALUES ($1, $2, $3, $4, $5, $6)", [
      i,
      t.id,
      t.n,
      first,
      clusters,
      token,
    ]);
    first += t.n;
  }
  await db.query(
    `INSERT INTO clusters (id, tenant_id, name)
     SELECT 'cls_' || md5(b.tenant_id || c), b.tenant_id, 'cluster-' || c
     FROM bench_tenants b, generate_series(1, b.clusters) c`,
  );
  await db.query("SET session_replication_role = replica"); // no FK checks per row; consistent by construction
  const strategies = STRATEGIES.map((s) => s.id);
  // i: the finding's global number; k: its number within the tenant
  const chunk = 500_000;
  for (let from = 0; from < TOTAL; from += chunk) {
    const t0 = performance.now();
    await db.query(
      `INSERT INTO findings (id, tenant_id, cluster_id, source, fingerprint, rule_id, title, severity, severity_rank,
         status, category, strategy, nist, mapped, resource_kind, resource_namespace, resource_name,
         resource_container, resource_image, remediation, "references", details, first_seen_at, last_seen_at,
         resolved_at, opened_at, last_report_id)
       SELECT 'fnd_' || md5(i::text), b.tenant_id,
         'cls_' || md5(b.tenant_id || (1 + k % b.clusters)),
         (array['trivy','trivy-operator','kube-bench','mesh-config'])[1 + k % 4], md5('fp' || i::text),
         CASE WHEN k % 3 = 0 THEN 'KSV-' || lpad((k % 90)::text, 4, '0') ELSE 'CVE-2024-' || (10000 + k % 5000)::text END,
         'Vulnerability in package libssl number ' || (k % 5000)::text,
         (array['critical','high','medium','low','info'])[1 + (k % 97) % 5], (k % 97) % 5,
         CASE WHEN k % 10 = 0 THEN 'resolved' ELSE 'open' END,
         split_part(($1::text[])[1 + k % array_length($1::text[], 1)], '-', 1),
         ($1::text[])[1 + k % array_length($1::text[], 1)],
         array['SP 800-204 MS-SS-9'], k % 50 <> 0, 'Deployment', 'ns-' || (k % 200)::text,
         'app-' || (k % 20000)::text, 'app', 'registry.example/team-' || (k % 300)::text || '/service',
         'Upgrade libssl to 3.0.15 or later.', array['https://avd.aquasec.com/nvd/cve-2024-' || (10000 + k % 5000)::text],
         jsonb_build_object('package', 'libssl3', 'installedVersion', '3.0.2', 'fixedVersion', '3.0.15',
           'description', 'A heap-based buffer overflow in X.509 certificate verification.'),
         now() - make_interval(days => 1 + k % 300), now() - make_interval(mins => k % 1440),
         CASE WHEN k % 10 = 0 THEN now() - make_interval(days => k % 30) END,
         CASE WHEN k % 50 = 1 THEN now() - make_interval(days => k % 20) ELSE now() - make_interval(days => 1 + k % 300) END,
         'rpt_bench'
       FROM bench_tenants b, LATERAL generate_series(greatest(b.first, $2::bigint), least(b.first + b.n, $3::bigint) - 1) AS i,
         LATERAL (SELECT (i - b.first)::int AS k) kk
       WHERE b.first < $3::bigint AND b.first + b.n > $2::bigint`,
      [strategies, from, from + chunk],
    );
    say(
      `  findings ${(from + chunk).toLocaleString("en")} (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
    );
  }
  say("  events");
  // history: opened for every finding, resolved for the resolved, resolved-then-reopened for 2 %
  await db.query(
    `INSERT INTO finding_events (tenant_id, finding_id, report_id, from_status, to_status, at, recorded_at)
     SELECT tenant_id, id, 'rpt_bench', NULL, 'open', first_seen_at, first_seen_at FROM findings
     UNION ALL
     SELECT tenant_id, id, 'rpt_bench', 'open', 'resolved', resolved_at, resolved_at FROM findings WHERE status = 'resolved'
     UNION ALL
     SELECT tenant_id, id, 'rpt_bench', 'open', 'resolved', opened_at - interval '1 day', opened_at - interval '1 day'
       FROM findings WHERE status = 'open' AND opened_at > first_seen_at
     UNION ALL
     SELECT tenant_id, id, 'rpt_bench', 'resolved', 'open', opened_at, opened_at
       FROM findings WHERE status = 'open' AND opened_at > first_seen_at`,
  );
  say("  suppressions and maintained state");
  await db.query(
    `INSERT INTO suppressions (id, tenant_id, rule_id, reason, expires_at)
     SELECT 'sup_' || md5(b.tenant_id || k), b.tenant_id, 'KSV-' || lpad(k::text, 4, '0'), 'accepted risk',
       now() + make_interval(days => k)
     FROM bench_tenants b, generate_series(1, 5) AS k`,
  );
  await db.query(
    `UPDATE findings f SET suppressed_until = s.expires_at FROM suppressions s
     WHERE s.tenant_id = f.tenant_id AND s.rule_id = f.rule_id AND f.rule_id LIKE 'KSV-000%'`,
  );
  await db.query("SET session_replication_role = DEFAULT");
  await db.query(
    `INSERT INTO posture_counts (tenant_id, cluster_id, source, strategy, severity, suppressed_until, n)
     SELECT tenant_id, cluster_id, source, strategy, severity, coalesce(suppressed_until, '-infinity'), count(*)
     FROM findings WHERE status = 'open' GROUP BY 1, 2, 3, 4, 5, 6`,
  );
  await db.query(
    `INSERT INTO posture_resolved (tenant_id, cluster_id, day, strategy, severity, n)
     SELECT tenant_id, cluster_id, (resolved_at AT TIME ZONE 'UTC')::date, strategy, severity, count(*)
     FROM findings WHERE status = 'resolved' GROUP BY 1, 2, 3, 4, 5`,
  );
  await db.query(
    `INSERT INTO rule_titles (tenant_id, rule_id, title_hash, title)
     SELECT DISTINCT tenant_id, rule_id, md5(title)::uuid, title FROM findings ON CONFLICT DO NOTHING`,
  );
}

export async function benchTenants(db: pg.Client): Promise<BenchTenant[]> {
  const r = await db.query<{ tenant_id: string; n: number; token: string | null }>(
    "SELECT tenant_id, n, token FROM bench_tenants ORDER BY ord",
  );
  return r.rows.map((x) => ({ id: x.tenant_id, n: x.n, ...(x.token ? { token: x.token } : {}) }));
}
