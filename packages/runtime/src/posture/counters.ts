/**
 * SQL fragments that keep posture_counts (see its table) in step with the findings a statement changes.
 * A statement defines a CTE `delta(cluster_id, source, strategy, severity, until, d)` of signed changes in
 * open findings and appends COUNTER_UPSERT_CTE; rows go in key order, so two transactions updating the same
 * counters lock them in the same order.
 */
export const UNSUPPRESSED = "'-infinity'::timestamptz";

/** `cnt` CTE: apply `delta` to posture_counts ($1 is the tenant id). */
export const COUNTER_UPSERT_CTE = `cnt AS (
  INSERT INTO posture_counts AS pc (tenant_id, cluster_id, source, strategy, severity, suppressed_until, n)
  SELECT $1, d.cluster_id, d.source, d.strategy, d.severity, d.until, d.d FROM delta d WHERE d.d <> 0
  ORDER BY d.cluster_id, d.source, d.strategy, d.severity, d.until
  ON CONFLICT (tenant_id, cluster_id, source, strategy, severity, suppressed_until)
  DO UPDATE SET n = pc.n + excluded.n
  RETURNING 1
)`;
