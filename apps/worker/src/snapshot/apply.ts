import { lockTenantSuppressions, type PoolClient, refreshTodayPoints } from "@bulwark/runtime";
import type { ReportStats } from "@bulwark/schema";
import type { KeepOpen } from "../parsers/tolerance.js";
import { copyInto } from "./copy-stream.js";
import { jsonbText } from "./copy-text.js";
import { encodeChunks, type IdentifiedDraft, INCOMING_COLUMNS, INCOMING_DDL } from "./rows.js";
import { RESOLVE_SQL, UPSERT_SQL } from "./statements.js";

export interface SnapshotTarget {
  tenantId: string;
  clusterId: string;
  source: string;
  reportId: string;
  collectedAt: Date;
  scopeKey: string;
  /** namespaces the snapshot covers; null with neither of the two below = the whole cluster */
  namespaces: string[] | null;
  /** the cluster-scoped objects (no namespace) are covered too */
  clusterScoped?: boolean;
  /** everything but these namespaces is covered, cluster-scoped objects included (a split's remainder) */
  excludeNamespaces?: string[] | null;
  /**
   * Findings this snapshot must not resolve: rules it could not evaluate (an unreadable input) and what
   * skipped entries might have produced. Each selector's present fields must all match; `{}` keeps all.
   */
  keepOpen?: KeepOpen[];
}

export type ApplyOutcome =
  | { kind: "applied"; stats: ReportStats; timings: { copyMs: number; upsertMs: number; resolveMs: number } }
  | { kind: "superseded"; stats: ReportStats; byReportId: string };

/**
 * Apply one snapshot (contract §1.4) on a client already inside a tenant transaction:
 * the snapshot is the complete truth for (cluster, source, scope). Present findings are inserted or refreshed
 * (a resolved one reopens with its id and first-seen time), open findings in scope that are absent resolve,
 * every transition is recorded in finding_events, the posture counters move by the same deltas and today's
 * posture point of the cluster is rewritten. Snapshots apply in collectedAt order: one older than
 * the newest applied for the same (cluster, source, scope) changes nothing. A handful of statements, no
 * per-finding query, all in the caller's transaction, so a crash leaves no partial snapshot and a re-run
 * converges.
 */
export async function applySnapshot(
  client: PoolClient,
  t: SnapshotTarget,
  rows: readonly IdentifiedDraft[],
): Promise<ApplyOutcome> {
  // a suppression change (exclusive) never interleaves with a snapshot (shared): see lockTenantSuppressions
  await lockTenantSuppressions(client, t.tenantId, "shared");
  // serialise snapshots of one (cluster, source): scopes can overlap, and the head check must see the winner
  await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
    `${t.tenantId}/${t.clusterId}/${t.source}`,
  ]);
  const head = await client.query<{ collected_at: Date; report_id: string }>(
    `SELECT collected_at, report_id FROM snapshot_heads
     WHERE tenant_id = $1 AND cluster_id = $2 AND source = $3 AND scope_key = $4`,
    [t.tenantId, t.clusterId, t.source, t.scopeKey],
  );
  const current = head.rows[0];
  if (current && current.collected_at.getTime() > t.collectedAt.getTime()) {
    return {
      kind: "superseded",
      byReportId: current.report_id,
      stats: { findings: rows.length, new: 0, unchanged: 0, resolved: 0, reopened: 0 },
    };
  }

  let mark = performance.now();
  await client.query(INCOMING_DDL);
  await copyInto(client, "incoming", INCOMING_COLUMNS, encodeChunks(rows));
  const copyMs = performance.now() - mark;

  mark = performance.now();
  // only a tenant with an active suppression pays for matching new findings against suppressions
  const anySuppression = await client.query(
    "SELECT 1 FROM suppressions WHERE tenant_id = $1 AND expires_at > now() LIMIT 1",
    [t.tenantId],
  );
  const upsert = await client.query<{ new: number; reopened: number }>(UPSERT_SQL, [
    t.tenantId,
    t.clusterId,
    t.source,
    t.reportId,
    t.collectedAt,
    (anySuppression.rowCount ?? 0) > 0,
  ]);
  const upsertMs = performance.now() - mark;

  mark = performance.now();
  const resolved = await client.query<{ resolved: number }>(RESOLVE_SQL, [
    t.tenantId,
    t.clusterId,
    t.source,
    t.reportId,
    t.collectedAt,
    t.namespaces,
    jsonbText(t.keepOpen ?? []),
    t.clusterScoped === true,
    t.excludeNamespaces ?? null,
  ]);
  await client.query(
    `INSERT INTO snapshot_heads (tenant_id, cluster_id, source, scope_key, collected_at, report_id)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (tenant_id, cluster_id, source, scope_key)
     DO UPDATE SET collected_at = excluded.collected_at, report_id = excluded.report_id`,
    [t.tenantId, t.clusterId, t.source, t.scopeKey, t.collectedAt, t.reportId],
  );
  await refreshTodayPoints(client, t.tenantId, [t.clusterId]);
  const resolveMs = performance.now() - mark;

  const created = upsert.rows[0]?.new ?? 0;
  const reopened = upsert.rows[0]?.reopened ?? 0;
  return {
    kind: "applied",
    timings: { copyMs, upsertMs, resolveMs },
    stats: {
      findings: rows.length,
      new: created,
      reopened,
      unchanged: rows.length - created - reopened,
      resolved: resolved.rows[0]?.resolved ?? 0,
    },
  };
}
