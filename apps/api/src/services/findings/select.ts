import { type SQL, sql } from "drizzle-orm";

/**
 * The finding columns with the derived status: a finding the latest snapshot left open that matches an
 * active suppression (every non-null selector column equal, not expired) reads as `suppressed`. Nothing is
 * written when a suppression is created, deleted or expires, so the status is always current.
 */
export const FINDING_FROM = sql`
  from findings f
  join clusters c on c.id = f.cluster_id and c.tenant_id = f.tenant_id
  cross join lateral (
    select exists (
      select 1 from suppressions s
      where s.tenant_id = f.tenant_id
        and s.expires_at > now()
        and (s.rule_id is null or s.rule_id = f.rule_id)
        and (s.cluster_id is null or s.cluster_id = f.cluster_id)
        and (s.namespace is null or s.namespace = f.resource_namespace)
        and (s.kind is null or s.kind = f.resource_kind)
        and (s.name is null or s.name = f.resource_name)
        and (s.fingerprint is null or s.fingerprint = f.fingerprint)
    ) as suppressed
  ) sp`;

export const FINDING_COLUMNS = sql`
  f.id, f.fingerprint, f.cluster_id, c.name as cluster_name, f.source, f.rule_id, f.title, f.severity,
  f.severity_rank,
  case when f.status = 'open' and sp.suppressed then 'suppressed' else f.status end as status,
  f.category, f.strategy, f.nist, f.mapped,
  f.resource_kind, f.resource_namespace, f.resource_name, f.resource_container, f.resource_image,
  f.first_seen_at, f.last_seen_at,
  to_char(f.last_seen_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as last_seen_key,
  f.resolved_at, f.remediation, f."references", f.details`;

export interface FindingRow {
  id: string;
  fingerprint: string;
  cluster_id: string;
  cluster_name: string;
  source: string;
  rule_id: string;
  title: string;
  severity: string;
  severity_rank: number;
  status: string;
  category: string;
  strategy: string;
  nist: string[];
  mapped: boolean;
  resource_kind: string | null;
  resource_namespace: string | null;
  resource_name: string | null;
  resource_container: string | null;
  resource_image: string | null;
  first_seen_at: Date;
  last_seen_at: Date;
  last_seen_key: string;
  resolved_at: Date | null;
  remediation: string | null;
  references: string[];
  details: Record<string, unknown>;
}

export function tenantFindings(tenantId: string): SQL {
  return sql`f.tenant_id = ${tenantId}`;
}
