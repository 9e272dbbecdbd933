import { type SQL, sql } from "drizzle-orm";

/**
 * A finding the latest snapshot left open reads as suppressed while an active suppression covers it. As a value
 * (never null: a CASE, a bool_or); a WHERE clause takes SUPPRESSED_WHERE / UNSUPPRESSED_WHERE.
 */
export const SUPPRESSED_NOW = sql`(f.suppressed_until is not null and f.suppressed_until > now())`;

/**
 * The same conditions for a WHERE clause, written as the planner estimates them right. `is not null and > now()`
 * counted the non-null fraction twice (independent clauses multiply: 1 % × 1 % of the rows), so a tenant's
 * 22,223 suppressed findings were estimated at 209 and a status=suppressed page sorted every suppressed row of
 * every tenant (97–257 ms at 10M findings) instead of reading its 51 rows from findings_suppressed_list_idx
 * (0.3 ms). `> now()` alone still proves that partial index's predicate (a strict operator implies not null).
 */
export const SUPPRESSED_WHERE = sql`f.suppressed_until > now()`;
export const UNSUPPRESSED_WHERE = sql`(f.suppressed_until is null or f.suppressed_until <= now())`;

/**
 * The snapshot head whose snapshots confirm an open finding (findings.seen_scope_key). An unchanged re-scan
 * rewrites no finding row, only the head; a left join on the head's primary key, which Postgres drops from
 * any query that reads no column of it.
 */
export const SEEN_HEAD_JOIN = sql`
  left join snapshot_heads h on h.tenant_id = f.tenant_id and h.cluster_id = f.cluster_id
    and h.source = f.source and h.scope_key = f.seen_scope_key`;

/**
 * A finding's lastSeenAt: the stored time of its last write, or, while it is open and attached to a head, that
 * head's collectedAt when later (every snapshot of the head since then confirmed it unchanged: one that
 * did not see it would have resolved or detached it). Needs SEEN_HEAD_JOIN.
 */
export const LAST_SEEN = sql`(case when f.status = 'open' and h.collected_at > f.last_seen_at
  then h.collected_at else f.last_seen_at end)`;

/**
 * The finding rows with their cluster. Whether a finding is suppressed is a column compared with the clock
 * (`suppressed_until`, kept by the suppression verbs), never a per-row subquery.
 */
export const FINDING_FROM = sql`
  from findings f
  join clusters c on c.id = f.cluster_id and c.tenant_id = f.tenant_id ${SEEN_HEAD_JOIN}`;

/** FINDING_COLUMNS without `details` (the one wide JSON column), for readers that never show it. */
export const FINDING_COLUMNS_LEAN = sql`
  f.id, f.fingerprint, f.cluster_id, c.name as cluster_name, f.source, f.rule_id, f.title, f.severity,
  f.severity_rank,
  case when f.status = 'open' and ${SUPPRESSED_NOW} then 'suppressed' else f.status end as status,
  f.category, f.strategy, f.nist, f.mapped,
  f.resource_kind, f.resource_namespace, f.resource_name, f.resource_container, f.resource_image,
  f.first_seen_at, ${LAST_SEEN} as last_seen_at, f.opened_at,
  to_char(f.first_seen_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as first_seen_key,
  -- the sort and cursor key of "most recent": the stored time of the finding's last write (see SORTS)
  to_char(f.last_seen_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as last_seen_key,
  f.resolved_at, f.remediation, f."references"`;

export const FINDING_COLUMNS = sql`${FINDING_COLUMNS_LEAN}, f.details`;

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
  opened_at: Date;
  first_seen_key: string;
  last_seen_key: string;
  resolved_at: Date | null;
  remediation: string | null;
  references: string[];
  details: Record<string, unknown>;
}

export function tenantFindings(tenantId: string): SQL {
  return sql`f.tenant_id = ${tenantId}`;
}

/** The image repository without tag or digest, as in the finding identity (imageRepository in the schema). */
export const IMAGE_REPOSITORY = sql`regexp_replace(split_part(f.resource_image, '@', 1), ':[^:/]*$', '')`;
