import { newId, SEVERITIES, SEVERITY_RANK, type Severity } from "@bulwark/schema";
import type pg from "pg";

export interface SeedFinding {
  id?: string;
  clusterId: string;
  source?: string;
  ruleId?: string;
  title?: string;
  severity?: Severity;
  status?: "open" | "resolved";
  category?: string;
  strategy?: string;
  kind?: string | null;
  namespace?: string | null;
  name?: string | null;
  fingerprint?: string;
  firstSeenAt?: Date;
  lastSeenAt?: Date;
}

/**
 * Insert findings directly as the owner (past RLS), in one statement, then rebuild the state the worker
 * maintains beside them (suppression expiries, posture counters, daily resolutions, the rule catalog): the API reads what the
 * worker writes, and these tests are about reading.
 */
export async function seedFindings(
  owner: pg.Pool,
  tenantId: string,
  findings: SeedFinding[],
): Promise<string[]> {
  const rows = findings.map((f, i) => {
    const severity = f.severity ?? SEVERITIES[i % SEVERITIES.length] ?? "info";
    const lastSeen = f.lastSeenAt ?? new Date(Date.UTC(2026, 10, 1) + i * 1000);
    return {
      id: f.id ?? newId("finding"),
      tenant_id: tenantId,
      cluster_id: f.clusterId,
      source: f.source ?? "trivy",
      fingerprint: f.fingerprint ?? newId("finding").slice(4),
      rule_id: f.ruleId ?? `RULE-${i}`,
      title: f.title ?? `Finding number ${i}`,
      severity,
      severity_rank: SEVERITY_RANK[severity],
      status: f.status ?? "open",
      category: f.category ?? "INT",
      strategy: f.strategy ?? "INT-VULN",
      resource_kind: f.kind === undefined ? "Deployment" : f.kind,
      resource_namespace: f.namespace === undefined ? "web" : f.namespace,
      resource_name: f.name === undefined ? "frontend" : f.name,
      first_seen_at: (f.firstSeenAt ?? lastSeen).toISOString(),
      last_seen_at: lastSeen.toISOString(),
      resolved_at: f.status === "resolved" ? lastSeen.toISOString() : null,
    };
  });
  await owner.query(
    `insert into findings (id, tenant_id, cluster_id, source, fingerprint, rule_id, title, severity, severity_rank,
       status, category, strategy, nist, mapped, resource_kind, resource_namespace, resource_name, resource_container,
       resource_image, remediation, "references", details, first_seen_at, last_seen_at, resolved_at, opened_at, last_report_id)
     select x.id, x.tenant_id, x.cluster_id, x.source, x.fingerprint, x.rule_id, x.title, x.severity, x.severity_rank,
       x.status, x.category, x.strategy, array['SP 800-204 MS-SS-9'], true, x.resource_kind, x.resource_namespace,
       x.resource_name, null, null, 'upgrade', array['https://example.com/advisory'], '{"pkg":"openssl"}'::jsonb,
       x.first_seen_at, x.last_seen_at, x.resolved_at, x.first_seen_at, 'rpt_seed'
     from jsonb_to_recordset($1::jsonb) as x(id text, tenant_id text, cluster_id text, source text, fingerprint text,
       rule_id text, title text, severity text, severity_rank smallint, status text, category text, strategy text,
       resource_kind text, resource_namespace text, resource_name text, first_seen_at timestamptz,
       last_seen_at timestamptz, resolved_at timestamptz)`,
    [JSON.stringify(rows)],
  );
  await rebuildMaintained(owner, tenantId);
  return rows.map((r) => r.id);
}

/** Recompute, from the findings and suppressions alone, what the worker and API maintain incrementally. */
export async function rebuildMaintained(owner: pg.Pool, tenantId: string): Promise<void> {
  await owner.query(
    `update findings f set suppressed_until = (select max(s.expires_at) from suppressions s
       where s.tenant_id = f.tenant_id and s.expires_at > now()
         and (s.rule_id is null or s.rule_id = f.rule_id) and (s.cluster_id is null or s.cluster_id = f.cluster_id)
         and (s.namespace is null or s.namespace = f.resource_namespace) and (s.kind is null or s.kind = f.resource_kind)
         and (s.name is null or s.name = f.resource_name) and (s.fingerprint is null or s.fingerprint = f.fingerprint))
     where f.tenant_id = $1`,
    [tenantId],
  );
  await owner.query("delete from posture_counts where tenant_id = $1", [tenantId]);
  await owner.query(
    `insert into posture_counts (tenant_id, cluster_id, source, strategy, severity, suppressed_until, n)
     select tenant_id, cluster_id, source, strategy, severity, coalesce(suppressed_until, '-infinity'), count(*)
     from findings where tenant_id = $1 and status = 'open' group by 1, 2, 3, 4, 5, 6`,
    [tenantId],
  );
  await owner.query("delete from posture_resolved where tenant_id = $1", [tenantId]);
  await owner.query(
    `insert into posture_resolved (tenant_id, cluster_id, day, strategy, severity, n)
     select tenant_id, cluster_id, (resolved_at at time zone 'UTC')::date, strategy, severity, count(*)
     from findings where tenant_id = $1 and status = 'resolved' group by 1, 2, 3, 4, 5`,
    [tenantId],
  );
  await owner.query(
    `insert into rule_titles (tenant_id, rule_id, title_hash, title)
     select distinct tenant_id, rule_id, md5(title)::uuid, title from findings where tenant_id = $1
     on conflict do nothing`,
    [tenantId],
  );
}
