import { randomBytes } from "node:crypto";
import { newId, STRATEGIES } from "@bulwark/schema";
import pg from "pg";

export const say = (m: string) => process.stdout.write(`${m}\n`);

/** A scratch database of its own, migrated; dropped by `drop()`. */
export async function scratchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** The machine's load average, to print beside every figure. */
export async function loadAverage(): Promise<string> {
  const { loadavg } = await import("node:os");
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
}

const STRATEGY_IDS = STRATEGIES.map((s) => s.id);

/**
 * `n` findings for one tenant spread over `clusters` clusters and 4 sources, inserted by the database itself
 * (generate_series; a COPY of a million rows from Node would measure Node), with the shape of real scanner
 * output: CVE and check ids, namespaced workloads, images, and a `details.description` of `descriptionBytes`
 * (real trivy output carries each vulnerability's full description). 10 % are resolved, each with its
 * opened/resolved events; suppressions cover a few rules. Then the maintained state is built as the migration
 * does for an existing installation.
 */
export async function seedBigTenant(
  db: pg.Client,
  opts: { tenantId: string; clusters: number; n: number; descriptionBytes: number },
): Promise<string[]> {
  const clusterIds = Array.from({ length: opts.clusters }, () => newId("cluster"));
  await db.query(
    `INSERT INTO clusters (id, tenant_id, name) SELECT id, $1, 'cluster-' || ord FROM unnest($2::text[]) WITH ORDINALITY AS x(id, ord)`,
    [opts.tenantId, clusterIds],
  );
  const text =
    "A heap-based buffer overflow in the X.509 certificate verification allows a remote attacker to cause a denial of service or possibly execute arbitrary code via a crafted certificate. ";
  const description = text
    .repeat(Math.ceil(opts.descriptionBytes / text.length))
    .slice(0, opts.descriptionBytes);
  await db.query("SET session_replication_role = replica"); // no FK checks per row; data is consistent by construction
  const chunk = 250_000;
  for (let from = 0; from < opts.n; from += chunk) {
    const to = Math.min(opts.n, from + chunk) - 1;
    await db.query(
      `INSERT INTO findings (id, tenant_id, cluster_id, source, fingerprint, rule_id, title, severity, severity_rank,
         status, category, strategy, nist, mapped, resource_kind, resource_namespace, resource_name, resource_container,
         resource_image, remediation, "references", details, first_seen_at, last_seen_at, resolved_at, opened_at,
         last_report_id)
       SELECT 'fnd_' || md5(i::text || $1), $1, ($2::text[])[1 + i % array_length($2::text[], 1)],
         (array['trivy','trivy-operator','kube-bench','polaris'])[1 + i % 4], md5('fp' || i::text || $1),
         CASE WHEN i % 3 = 0 THEN 'KSV-' || lpad((i % 90)::text, 4, '0') ELSE 'CVE-2024-' || (10000 + i % 5000)::text END,
         'Vulnerability in package libssl number ' || (i % 5000)::text,
         (array['critical','high','medium','low','info'])[1 + (i % 97) % 5], (i % 97) % 5,
         CASE WHEN i % 10 = 0 THEN 'resolved' ELSE 'open' END,
         split_part(($3::text[])[1 + i % array_length($3::text[], 1)], '-', 1),
         ($3::text[])[1 + i % array_length($3::text[], 1)],
         array['SP 800-204 MS-SS-9'], true, 'Deployment', 'ns-' || (i % 200)::text, 'app-' || (i % 20000)::text, 'app',
         'registry.example/team-' || (i % 300)::text || '/service', 'Upgrade libssl to 3.0.15 or later.',
         array['https://avd.aquasec.com/nvd/cve-2024-' || (10000 + i % 5000)::text],
         jsonb_build_object('package', 'libssl3', 'installedVersion', '3.0.2', 'fixedVersion', '3.0.15', 'description', $4::text),
         now() - make_interval(days => 1 + i % 300), now() - make_interval(mins => i % 1440),
         CASE WHEN i % 10 = 0 THEN now() - make_interval(days => i % 30) END,
         now() - make_interval(days => 1 + i % 300), 'rpt_bench'
       FROM generate_series($5::int, $6::int) AS i`,
      [opts.tenantId, clusterIds, STRATEGY_IDS, description, from, to],
    );
  }
  await db.query(
    `INSERT INTO finding_events (tenant_id, finding_id, report_id, from_status, to_status, at)
     SELECT tenant_id, id, 'rpt_bench', NULL, 'open', first_seen_at FROM findings WHERE tenant_id = $1
     UNION ALL
     SELECT tenant_id, id, 'rpt_bench', 'open', 'resolved', resolved_at FROM findings WHERE tenant_id = $1 AND status = 'resolved'`,
    [opts.tenantId],
  );
  await db.query(
    `INSERT INTO suppressions (id, tenant_id, rule_id, reason, expires_at)
     SELECT 'sup_' || md5(k::text || $1), $1, 'KSV-' || lpad(k::text, 4, '0'), 'accepted risk', now() + make_interval(days => k)
     FROM generate_series(1, 20) AS k`,
    [opts.tenantId],
  );
  await db.query("SET session_replication_role = DEFAULT");
  await rebuildMaintainedState(db, opts.tenantId);
  return clusterIds;
}

/**
 * Run a bulk load with the secondary indexes of `findings` and `finding_events` dropped, then build them
 * again and ANALYZE: building an index once is many times faster than maintaining it row by row, and the
 * benchmarks measure reads, not this load.
 */
export async function bulkLoad<T>(db: pg.Client, load: () => Promise<T>): Promise<T> {
  const idx = await db.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
     WHERE i.schemaname = 'public' AND i.tablename IN ('findings', 'finding_events')
       AND i.indexname NOT IN (SELECT conname FROM pg_constraint)`,
  );
  for (const r of idx.rows) await db.query(`DROP INDEX ${r.indexname}`);
  try {
    return await load();
  } finally {
    await db.query("SET maintenance_work_mem = '512MB'");
    for (const r of idx.rows) await db.query(r.indexdef);
    await db.query("ANALYZE");
  }
}

/** What migration 0008 computes for existing data: suppression expiries, counters, daily resolutions. */
export async function rebuildMaintainedState(db: pg.Client, tenantId: string): Promise<void> {
  await db.query(
    `UPDATE findings f SET suppressed_until = s.until FROM (
       SELECT f2.id, max(s.expires_at) AS until FROM findings f2 JOIN suppressions s ON s.tenant_id = f2.tenant_id
         AND s.expires_at > now() AND (s.rule_id IS NULL OR s.rule_id = f2.rule_id)
       WHERE f2.tenant_id = $1 GROUP BY f2.id) s
     WHERE f.tenant_id = $1 AND f.id = s.id`,
    [tenantId],
  );
  await db.query(
    `INSERT INTO posture_counts (tenant_id, cluster_id, source, strategy, severity, suppressed_until, n)
     SELECT tenant_id, cluster_id, source, strategy, severity, coalesce(suppressed_until, '-infinity'), count(*)
     FROM findings WHERE tenant_id = $1 AND status = 'open' GROUP BY 1, 2, 3, 4, 5, 6`,
    [tenantId],
  );
  await db.query(
    `INSERT INTO posture_resolved (tenant_id, cluster_id, day, strategy, severity, n)
     SELECT tenant_id, cluster_id, (resolved_at AT TIME ZONE 'UTC')::date, strategy, severity, count(*)
     FROM findings WHERE tenant_id = $1 AND status = 'resolved' GROUP BY 1, 2, 3, 4, 5`,
    [tenantId],
  );
  await db.query(
    `INSERT INTO rule_titles (tenant_id, rule_id, title_hash, title)
     SELECT DISTINCT tenant_id, rule_id, md5(title)::uuid, title FROM findings WHERE tenant_id = $1
     ON CONFLICT DO NOTHING`,
    [tenantId],
  );
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Latencies of `total` GETs with `concurrency` in flight, in ms, sorted. */
export async function measure(
  url: string,
  token: string,
  total: number,
  concurrency: number,
): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      const t0 = performance.now();
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      times.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return times.sort((a, b) => a - b);
}
