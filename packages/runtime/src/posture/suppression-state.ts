import type pg from "pg";
import { COUNTER_UPSERT_CTE, UNSUPPRESSED } from "./counters.js";
import { lockTenantSuppressions } from "./locks.js";
import { refreshTodayPoints } from "./points.js";

/** A suppression's selector as stored: every non-null field must equal the finding's. */
export interface StoredSelector {
  ruleId: string | null;
  clusterId: string | null;
  namespace: string | null;
  kind: string | null;
  name: string | null;
  fingerprint: string | null;
}

export interface SuppressionChange {
  /** open findings that became suppressed / stopped being suppressed */
  suppressed: number;
  unsuppressed: number;
}

/** `s` (a suppressions row) matches finding `f`. */
const MATCHES = `(s.rule_id IS NULL OR s.rule_id = f.rule_id)
  AND (s.cluster_id IS NULL OR s.cluster_id = f.cluster_id)
  AND (s.namespace IS NULL OR s.namespace = f.resource_namespace)
  AND (s.kind IS NULL OR s.kind = f.resource_kind)
  AND (s.name IS NULL OR s.name = f.resource_name)
  AND (s.fingerprint IS NULL OR s.fingerprint = f.fingerprint)`;

/** The latest expiry among the tenant's active suppressions that match finding `f` (null: none). */
export const ACTIVE_SUPPRESSION_UNTIL = `(SELECT max(s.expires_at) FROM suppressions s
  WHERE s.tenant_id = f.tenant_id AND s.expires_at > now() AND ${MATCHES})`;

/** Findings matched by a selector given as $2..$7. */
const SELECTOR_WHERE = `($2::text IS NULL OR f.rule_id = $2)
  AND ($3::text IS NULL OR f.cluster_id = $3)
  AND ($4::text IS NULL OR f.resource_namespace = $4)
  AND ($5::text IS NULL OR f.resource_kind = $5)
  AND ($6::text IS NULL OR f.resource_name = $6)
  AND ($7::text IS NULL OR f.fingerprint = $7)`;

/**
 * One statement: set `suppressed_until` of the `target` findings to `new_until`, record the transitions of
 * open findings as events, and move their counters. `target` yields (id, cluster_id, source, strategy, severity,
 * status, opened_at, old_until, new_until, at) and `$1` is the tenant id.
 */
function transitionStatement(target: string, cause: string): string {
  return `WITH target AS (${target}),
  changed AS (SELECT * FROM target WHERE old_until IS DISTINCT FROM new_until),
  upd AS (
    UPDATE findings f SET suppressed_until = c.new_until FROM changed c
    WHERE f.tenant_id = $1 AND f.id = c.id RETURNING 1
  ),
  ev AS (
    INSERT INTO finding_events (tenant_id, finding_id, report_id, suppression_id, from_status, to_status, at)
    SELECT $1, c.id, NULL, ${cause},
      CASE WHEN c.was THEN 'suppressed' ELSE 'open' END, CASE WHEN c.now_is THEN 'suppressed' ELSE 'open' END, c.at
    FROM (SELECT *, old_until IS NOT NULL AS was, coalesce(new_until > now(), false) AS now_is FROM changed
          WHERE status = 'open') c
    WHERE c.was <> c.now_is AND (NOT c.was OR c.opened_at <= c.old_until)
    RETURNING to_status
  ),
  delta AS (
    SELECT cluster_id, source, strategy, severity, until, sum(d)::int AS d FROM (
      SELECT cluster_id, source, strategy, severity, coalesce(old_until, ${UNSUPPRESSED}) AS until, -1 AS d
      FROM changed WHERE status = 'open'
      UNION ALL
      SELECT cluster_id, source, strategy, severity, coalesce(new_until, ${UNSUPPRESSED}), 1
      FROM changed WHERE status = 'open'
    ) x GROUP BY 1, 2, 3, 4, 5
  ),
  ${COUNTER_UPSERT_CTE}
  SELECT count(*) FILTER (WHERE to_status = 'suppressed')::int AS suppressed,
         count(*) FILTER (WHERE to_status = 'open')::int AS unsuppressed
  FROM ev`;
}

const TARGET_COLUMNS = `f.id, f.cluster_id, f.source, f.strategy, f.severity, f.status, f.opened_at,
  f.suppressed_until AS old_until`;

/**
 * Record suppressions that have lapsed: each finding whose `suppressed_until` has passed gets an
 * `unsuppressed` event dated at the expiry (when it was open then), its counters move back to unsuppressed
 * (a move between rows that reads the same, since reads already treat a lapsed row as unsuppressed), and the
 * column is cleared. Afterwards every non-null `suppressed_until` of the tenant is in the future.
 */
async function recordLapsed(client: pg.PoolClient, tenantId: string): Promise<SuppressionChange> {
  const r = await client.query<SuppressionChange>(
    transitionStatement(
      `SELECT ${TARGET_COLUMNS}, NULL::timestamptz AS new_until, f.suppressed_until AS at
       FROM findings f WHERE f.tenant_id = $1 AND f.suppressed_until <= now()
       ORDER BY f.id FOR UPDATE`,
      "NULL",
    ),
    [tenantId],
  );
  return r.rows[0] ?? { suppressed: 0, unsuppressed: 0 };
}

/**
 * After a suppression is created or deleted: recompute `suppressed_until` of every finding its selector
 * matches (any status, so a resolved finding that reopens is already covered), with events and counters.
 * Call inside the tenant's transaction; takes the tenant's exclusive suppression lock.
 */
export async function applySuppressionChange(
  client: pg.PoolClient,
  tenantId: string,
  selector: StoredSelector,
  suppressionId: string,
): Promise<SuppressionChange> {
  await lockTenantSuppressions(client, tenantId, "exclusive");
  await recordLapsed(client, tenantId);
  const r = await client.query<SuppressionChange>(
    transitionStatement(
      `SELECT ${TARGET_COLUMNS}, ${ACTIVE_SUPPRESSION_UNTIL} AS new_until, now() AS at
       FROM findings f WHERE f.tenant_id = $1 AND ${SELECTOR_WHERE}
       ORDER BY f.id FOR UPDATE`,
      "$8",
    ),
    [
      tenantId,
      selector.ruleId,
      selector.clusterId,
      selector.namespace,
      selector.kind,
      selector.name,
      selector.fingerprint,
      suppressionId,
    ],
  );
  await refreshTodayPoints(client, tenantId, null);
  return r.rows[0] ?? { suppressed: 0, unsuppressed: 0 };
}

/** The expiry sweep for one tenant (see recordLapsed); refreshes today's points when anything lapsed. */
export async function sweepLapsedSuppressions(
  client: pg.PoolClient,
  tenantId: string,
): Promise<SuppressionChange> {
  await lockTenantSuppressions(client, tenantId, "exclusive");
  const change = await recordLapsed(client, tenantId);
  await refreshTodayPoints(client, tenantId, null);
  return change;
}
