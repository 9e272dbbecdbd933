import { COUNTER_UPSERT_CTE, UNSUPPRESSED } from "@bulwark/runtime";

/**
 * The snapshot's set statements. Parameters: $1 tenant, $2 cluster, $3 source, $4 report id,
 * $5 collectedAt; UPSERT_SQL $6 = the tenant has an active suppression, $7 = the snapshot's scope key;
 * RESOLVE_SQL $6 = namespaces in scope, $7 = selectors of findings to keep open (jsonb: rules not evaluated,
 * what skipped entries might have produced), $8 = cluster-scoped objects covered, $9 = every namespace but
 * these covered (a split's remainder); $6, $8 and $9 all unset = the whole cluster.
 *
 * Only `changed` incoming rows (new, reopened, new content, or last seen under another scope) are written:
 * an unchanged finding's row, its indexes and its history stay untouched, and its lastSeenAt moves with the
 * snapshot head of its scope (see LAST_SEEN in @bulwark/insights).
 *
 * Each statement's CTEs read the rows as they were before it (one snapshot), so `prev` holds the old status,
 * strategy, severity and suppression of every finding the upsert touches: the counter deltas are exact even
 * when a mapping change moves an open finding to another strategy or severity. An unchanged finding is open
 * before and after with the same strategy, severity and suppression, so leaving it out moves no counter.
 */
/**
 * When a finding stops following a head (resolved, or detached), the last time that head confirmed it becomes
 * its stored last_seen_at. Runs before this snapshot moves its own head, so that head still holds the previous
 * snapshot's collectedAt.
 */
const SEEN_VIA_HEAD = `GREATEST(f.last_seen_at, coalesce((SELECT h.collected_at FROM snapshot_heads h
    WHERE h.tenant_id = f.tenant_id AND h.cluster_id = f.cluster_id AND h.source = f.source
      AND h.scope_key = f.seen_scope_key), f.last_seen_at))`;

export const UPSERT_SQL = `WITH cand AS (
  SELECT * FROM incoming WHERE changed
), prev AS (
  SELECT f.fingerprint, f.status, f.strategy, f.severity, f.suppressed_until
  FROM findings f JOIN cand i ON i.fingerprint = f.fingerprint
  WHERE f.tenant_id = $1 AND f.cluster_id = $2 AND f.source = $3
), up AS (
  INSERT INTO findings AS f (id, tenant_id, cluster_id, source, fingerprint, rule_id, title, severity,
    severity_rank, status, category, strategy, nist, mapped, resource_kind, resource_namespace, resource_name,
    resource_container, resource_image, remediation, "references", details, first_seen_at, last_seen_at,
    resolved_at, opened_at, suppressed_until, last_report_id, content_hash, seen_scope_key)
  SELECT i.new_id, $1, $2, $3, i.fingerprint, i.rule_id, i.title, i.severity, i.severity_rank, 'open',
    i.category, i.strategy, i.nist, i.mapped, i.resource_kind, i.resource_namespace, i.resource_name,
    i.resource_container, i.resource_image, i.remediation, i."references", i.details, $5, $5, NULL, $5,
    CASE WHEN $6::boolean THEN (SELECT max(s.expires_at) FROM suppressions s
      WHERE s.tenant_id = $1 AND s.expires_at > now()
        AND (s.rule_id IS NULL OR s.rule_id = i.rule_id)
        AND (s.cluster_id IS NULL OR s.cluster_id = $2)
        AND (s.namespace IS NULL OR s.namespace = i.resource_namespace)
        AND (s.kind IS NULL OR s.kind = i.resource_kind)
        AND (s.name IS NULL OR s.name = i.resource_name)
        AND (s.fingerprint IS NULL OR s.fingerprint = i.fingerprint)) END,
    $4, i.content_hash, $7
  FROM cand i
  ON CONFLICT (tenant_id, cluster_id, source, fingerprint) DO UPDATE SET
    rule_id = excluded.rule_id, title = excluded.title, severity = excluded.severity,
    severity_rank = excluded.severity_rank, status = 'open', category = excluded.category,
    strategy = excluded.strategy, nist = excluded.nist, mapped = excluded.mapped,
    resource_kind = excluded.resource_kind, resource_namespace = excluded.resource_namespace,
    resource_name = excluded.resource_name, resource_container = excluded.resource_container,
    resource_image = excluded.resource_image, remediation = excluded.remediation,
    "references" = excluded."references", details = excluded.details,
    last_seen_at = GREATEST(f.last_seen_at, excluded.last_seen_at), resolved_at = NULL,
    opened_at = CASE WHEN f.status = 'open' THEN f.opened_at ELSE excluded.opened_at END,
    last_report_id = excluded.last_report_id, content_hash = excluded.content_hash,
    seen_scope_key = excluded.seen_scope_key
  RETURNING f.id, f.fingerprint, f.strategy, f.severity, f.suppressed_until
), titles AS (
  -- the rule catalog (rule_titles) a text search starts from; in key order, so that two snapshots of the
  -- tenant adding the same pairs wait on each other in the same order (never a deadlock)
  INSERT INTO rule_titles (tenant_id, rule_id, title_hash, title)
  SELECT DISTINCT ON (rule_id, md5(title)::uuid) $1, rule_id, md5(title)::uuid, title FROM cand
  ORDER BY rule_id, md5(title)::uuid
  ON CONFLICT DO NOTHING
), ev AS (
  INSERT INTO finding_events (tenant_id, finding_id, report_id, from_status, to_status, at)
  SELECT $1, up.id, $4, prev.status, 'open', $5
  FROM up LEFT JOIN prev ON prev.fingerprint = up.fingerprint
  WHERE prev.status IS DISTINCT FROM 'open'
  RETURNING from_status
), delta AS (
  SELECT $2::text AS cluster_id, $3::text AS source, strategy, severity, until, sum(d)::int AS d FROM (
    SELECT strategy, severity, coalesce(suppressed_until, ${UNSUPPRESSED}) AS until, -1 AS d
    FROM prev WHERE status = 'open'
    UNION ALL
    SELECT strategy, severity, coalesce(suppressed_until, ${UNSUPPRESSED}), 1 FROM up
  ) x GROUP BY strategy, severity, until
), ${COUNTER_UPSERT_CTE}
SELECT count(*) FILTER (WHERE from_status IS NULL)::int AS new,
       count(*) FILTER (WHERE from_status = 'resolved')::int AS reopened
FROM ev`;

export const RESOLVE_SQL = `WITH r AS (
  UPDATE findings f SET status = 'resolved', resolved_at = $5, seen_scope_key = NULL,
    last_seen_at = ${SEEN_VIA_HEAD}
  WHERE f.tenant_id = $1 AND f.cluster_id = $2 AND f.source = $3 AND f.status = 'open'
    AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.fingerprint = f.fingerprint)
    AND (($6::text[] IS NULL AND $9::text[] IS NULL AND NOT $8)
         OR f.resource_namespace = ANY($6::text[])
         OR ($8 AND f.resource_namespace IS NULL)
         OR ($9::text[] IS NOT NULL
             AND (f.resource_namespace IS NULL OR NOT (f.resource_namespace = ANY($9::text[])))))
    AND NOT EXISTS (
      SELECT 1 FROM jsonb_array_elements($7::jsonb) k
      WHERE (NOT k ? 'ruleId' OR f.rule_id = k->>'ruleId')
        AND (NOT k ? 'kind' OR f.resource_kind IS NOT DISTINCT FROM k->>'kind')
        AND (NOT k ? 'namespace' OR f.resource_namespace IS NOT DISTINCT FROM k->>'namespace')
        AND (NOT k ? 'name' OR f.resource_name IS NOT DISTINCT FROM k->>'name')
        AND (NOT k ? 'container' OR f.resource_container IS NOT DISTINCT FROM k->>'container')
        AND (NOT k ? 'image' OR f.resource_image IS NOT DISTINCT FROM k->>'image'))
  RETURNING f.id, f.strategy, f.severity, f.suppressed_until
), ev AS (
  INSERT INTO finding_events (tenant_id, finding_id, report_id, from_status, to_status, at)
  SELECT $1, r.id, $4, 'open', 'resolved', $5 FROM r
  RETURNING 1
), delta AS (
  SELECT $2::text AS cluster_id, $3::text AS source, strategy, severity,
    coalesce(suppressed_until, ${UNSUPPRESSED}) AS until, -count(*)::int AS d
  FROM r GROUP BY strategy, severity, coalesce(suppressed_until, ${UNSUPPRESSED})
), resolutions AS (
  INSERT INTO posture_resolved AS pr (tenant_id, cluster_id, day, strategy, severity, n)
  SELECT $1, $2, ($5::timestamptz AT TIME ZONE 'UTC')::date, strategy, severity, count(*)::int
  FROM r GROUP BY strategy, severity ORDER BY strategy, severity
  ON CONFLICT (tenant_id, cluster_id, day, strategy, severity) DO UPDATE SET n = pr.n + excluded.n
  RETURNING 1
), ${COUNTER_UPSERT_CTE}
SELECT count(*)::int AS resolved FROM ev`;

/**
 * Open findings attached to this scope that the snapshot neither saw nor resolved (kept open because a rule
 * could not be evaluated, or outside the namespaces it covers) stop following the head: their last_seen_at is
 * pinned to the last time the head confirmed them. Parameters: $1 tenant, $2 cluster, $3 source, $4 scope key.
 */
export const DETACH_SQL = `UPDATE findings f SET seen_scope_key = NULL, last_seen_at = ${SEEN_VIA_HEAD}
  WHERE f.tenant_id = $1 AND f.cluster_id = $2 AND f.source = $3 AND f.status = 'open'
    AND f.seen_scope_key = $4
    AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.fingerprint = f.fingerprint)`;
