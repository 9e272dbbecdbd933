/** Today and yesterday as UTC dates. */
const TODAY = "(now() AT TIME ZONE 'UTC')::date";

/**
 * Days without a point between a cluster's last point before today and today: the last point's counts,
 * marked `carried` (nothing was written those days, so nothing is known to have changed). $1 tenant,
 * $2 retention in days.
 */
export const CARRY_FORWARD_SQL = `
INSERT INTO posture_daily (tenant_id, cluster_id, day, counts, origin, updated_at)
SELECT p.tenant_id, p.cluster_id, g.day::date, p.counts, 'carried', now()
FROM (
  SELECT DISTINCT ON (cluster_id) tenant_id, cluster_id, day, counts FROM posture_daily
  WHERE tenant_id = $1 AND day < ${TODAY}
  ORDER BY cluster_id, day DESC
) p
CROSS JOIN LATERAL generate_series(greatest(p.day + 1, ${TODAY} - $2::int), ${TODAY} - 1, interval '1 day') AS g(day)
ORDER BY p.cluster_id, g.day
ON CONFLICT (tenant_id, cluster_id, day) DO NOTHING`;

/**
 * History for clusters that have findings from before their first point (an installation that predates the
 * posture history): each day's open findings per strategy and severity, replayed from the status events
 * (opened and reopened +1, resolved −1) as a running sum, marked `backfill`. The events do not say when a
 * finding was suppressed in the past, so backfilled points count suppressed findings as open. $1 tenant,
 * $2 retention in days.
 */
export const BACKFILL_SQL = `
WITH cl AS (
  SELECT c.id FROM clusters c
  WHERE c.tenant_id = $1 AND c.created_at < ${TODAY}
    AND NOT EXISTS (SELECT 1 FROM posture_daily p WHERE p.tenant_id = $1 AND p.cluster_id = c.id AND p.day < ${TODAY})
), deltas AS (
  SELECT f.cluster_id, (e.at AT TIME ZONE 'UTC')::date AS day, f.strategy, f.severity,
    sum(CASE WHEN e.to_status = 'open' AND (e.from_status IS NULL OR e.from_status = 'resolved') THEN 1
             WHEN e.to_status = 'resolved' THEN -1 ELSE 0 END)::int AS d
  FROM finding_events e JOIN findings f ON f.tenant_id = e.tenant_id AND f.id = e.finding_id
  WHERE e.tenant_id = $1 AND f.cluster_id IN (SELECT id FROM cl) AND e.at < ${TODAY}::timestamp AT TIME ZONE 'UTC'
  GROUP BY 1, 2, 3, 4
), keys AS (
  SELECT cluster_id, strategy, severity, min(day) AS first FROM deltas GROUP BY 1, 2, 3
), grid AS (
  SELECT k.cluster_id, k.strategy, k.severity, g.day::date AS day
  FROM keys k CROSS JOIN LATERAL generate_series(k.first, ${TODAY} - 1, interval '1 day') AS g(day)
), running AS (
  SELECT g.cluster_id, g.day, g.strategy, g.severity,
    sum(coalesce(d.d, 0)) OVER (PARTITION BY g.cluster_id, g.strategy, g.severity ORDER BY g.day) AS n
  FROM grid g LEFT JOIN deltas d USING (cluster_id, strategy, severity, day)
), per_strategy AS (
  SELECT cluster_id, day, strategy, jsonb_build_array(
    coalesce(sum(n) FILTER (WHERE severity = 'critical'), 0), coalesce(sum(n) FILTER (WHERE severity = 'high'), 0),
    coalesce(sum(n) FILTER (WHERE severity = 'medium'), 0), coalesce(sum(n) FILTER (WHERE severity = 'low'), 0),
    coalesce(sum(n) FILTER (WHERE severity = 'info'), 0)) AS arr, sum(n) AS total
  FROM running WHERE day >= ${TODAY} - $2::int GROUP BY 1, 2, 3
)
INSERT INTO posture_daily (tenant_id, cluster_id, day, counts, origin, updated_at)
SELECT $1, cluster_id, day, coalesce(jsonb_object_agg(strategy, arr) FILTER (WHERE total > 0), '{}'::jsonb),
  'backfill', now()
FROM per_strategy GROUP BY cluster_id, day
ORDER BY cluster_id, day
ON CONFLICT (tenant_id, cluster_id, day) DO NOTHING`;

/** Points and daily resolutions past retention. $1 tenant, $2 retention in days. */
export const PRUNE_SQL = `
WITH a AS (DELETE FROM posture_daily WHERE tenant_id = $1 AND day < ${TODAY} - $2::int RETURNING 1),
b AS (DELETE FROM posture_resolved WHERE tenant_id = $1 AND day < ${TODAY} - $2::int RETURNING 1)
SELECT 1 FROM a UNION ALL SELECT 1 FROM b`;
