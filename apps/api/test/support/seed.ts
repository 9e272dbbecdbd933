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
 * Insert findings directly as the owner (past RLS), in one statement: the API reads what the worker writes,
 * and these tests are about reading.
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
       resource_image, remediation, "references", details, first_seen_at, last_seen_at, resolved_at, last_report_id)
     select x.id, x.tenant_id, x.cluster_id, x.source, x.fingerprint, x.rule_id, x.title, x.severity, x.severity_rank,
       x.status, x.category, x.strategy, array['SP 800-204 MS-SS-9'], true, x.resource_kind, x.resource_namespace,
       x.resource_name, null, null, 'upgrade', array['https://example.com/advisory'], '{"pkg":"openssl"}'::jsonb,
       x.first_seen_at, x.last_seen_at, x.resolved_at, 'rpt_seed'
     from jsonb_to_recordset($1::jsonb) as x(id text, tenant_id text, cluster_id text, source text, fingerprint text,
       rule_id text, title text, severity text, severity_rank smallint, status text, category text, strategy text,
       resource_kind text, resource_namespace text, resource_name text, first_seen_at timestamptz,
       last_seen_at timestamptz, resolved_at timestamptz)`,
    [JSON.stringify(rows)],
  );
  return rows.map((r) => r.id);
}
