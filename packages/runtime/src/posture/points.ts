import type pg from "pg";

/** Severity order of a point's counts arrays: [critical, high, medium, low, info]. */
const COUNTS_ARRAY = `jsonb_build_array(
  coalesce(sum(pc.n) FILTER (WHERE pc.severity = 'critical'), 0),
  coalesce(sum(pc.n) FILTER (WHERE pc.severity = 'high'), 0),
  coalesce(sum(pc.n) FILTER (WHERE pc.severity = 'medium'), 0),
  coalesce(sum(pc.n) FILTER (WHERE pc.severity = 'low'), 0),
  coalesce(sum(pc.n) FILTER (WHERE pc.severity = 'info'), 0))`;

/**
 * Write today's (UTC) posture point of the tenant's clusters (all, or those listed) from the maintained
 * counters: open, unsuppressed findings per strategy and severity. Runs in the caller's tenant transaction,
 * so a point always agrees with the snapshot or suppression change that wrote it.
 */
export async function refreshTodayPoints(
  client: pg.PoolClient,
  tenantId: string,
  clusterIds: readonly string[] | null,
): Promise<void> {
  await client.query(
    `INSERT INTO posture_daily AS p (tenant_id, cluster_id, day, counts, origin, updated_at)
     SELECT c.tenant_id, c.id, (now() AT TIME ZONE 'UTC')::date, coalesce(agg.counts, '{}'::jsonb), 'live', now()
     FROM clusters c
     LEFT JOIN LATERAL (
       SELECT jsonb_object_agg(s.strategy, s.arr) AS counts FROM (
         SELECT pc.strategy, ${COUNTS_ARRAY} AS arr
         FROM posture_counts pc
         WHERE pc.tenant_id = c.tenant_id AND pc.cluster_id = c.id AND pc.suppressed_until <= now()
         GROUP BY pc.strategy HAVING sum(pc.n) > 0
       ) s
     ) agg ON true
     WHERE c.tenant_id = $1 AND ($2::text[] IS NULL OR c.id = ANY($2::text[]))
     ORDER BY c.id
     ON CONFLICT (tenant_id, cluster_id, day)
     DO UPDATE SET counts = excluded.counts, origin = 'live', updated_at = excluded.updated_at`,
    [tenantId, clusterIds],
  );
}
