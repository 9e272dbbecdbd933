import type { PoolClient } from "@bulwark/runtime";
import type { ReportStats } from "@bulwark/schema";
import type { KeepOpen } from "../parsers/tolerance.js";
import { copyInto } from "./copy-stream.js";
import { jsonbText } from "./copy-text.js";
import { encodeChunks, type IdentifiedDraft, INCOMING_COLUMNS, INCOMING_DDL } from "./rows.js";

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
 * and every transition is recorded in finding_events. Snapshots apply in collectedAt order: one older than
 * the newest applied for the same (cluster, source, scope) changes nothing. A handful of statements, no
 * per-finding query, all in the caller's transaction, so a crash leaves no partial snapshot and a re-run
 * converges.
 */
export async function applySnapshot(
  client: PoolClient,
  t: SnapshotTarget,
  rows: readonly IdentifiedDraft[],
): Promise<ApplyOutcome> {
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
  const upsert = await client.query<{ new: number; reopened: number }>(
    `WITH prev AS (
       SELECT f.fingerprint, f.status FROM findings f JOIN incoming i ON i.fingerprint = f.fingerprint
       WHERE f.tenant_id = $1 AND f.cluster_id = $2 AND f.source = $3
     ), up AS (
       INSERT INTO findings AS f (id, tenant_id, cluster_id, source, fingerprint, rule_id, title, severity,
         severity_rank, status, category, strategy, nist, mapped, resource_kind, resource_namespace, resource_name,
         resource_container, resource_image, remediation, "references", details, first_seen_at, last_seen_at,
         resolved_at, last_report_id)
       SELECT i.new_id, $1, $2, $3, i.fingerprint, i.rule_id, i.title, i.severity, i.severity_rank, 'open',
         i.category, i.strategy, i.nist, i.mapped, i.resource_kind, i.resource_namespace, i.resource_name,
         i.resource_container, i.resource_image, i.remediation, i."references", i.details, $5, $5, NULL, $4
       FROM incoming i
       ON CONFLICT (tenant_id, cluster_id, source, fingerprint) DO UPDATE SET
         rule_id = excluded.rule_id, title = excluded.title, severity = excluded.severity,
         severity_rank = excluded.severity_rank, status = 'open', category = excluded.category,
         strategy = excluded.strategy, nist = excluded.nist, mapped = excluded.mapped,
         resource_kind = excluded.resource_kind, resource_namespace = excluded.resource_namespace,
         resource_name = excluded.resource_name, resource_container = excluded.resource_container,
         resource_image = excluded.resource_image, remediation = excluded.remediation,
         "references" = excluded."references", details = excluded.details,
         last_seen_at = GREATEST(f.last_seen_at, excluded.last_seen_at), resolved_at = NULL,
         last_report_id = excluded.last_report_id
       RETURNING f.id, f.fingerprint
     ), ev AS (
       INSERT INTO finding_events (tenant_id, finding_id, report_id, from_status, to_status, at)
       SELECT $1, up.id, $4, prev.status, 'open', $5
       FROM up LEFT JOIN prev ON prev.fingerprint = up.fingerprint
       WHERE prev.status IS DISTINCT FROM 'open'
       RETURNING from_status
     )
     SELECT count(*) FILTER (WHERE from_status IS NULL)::int AS new,
            count(*) FILTER (WHERE from_status = 'resolved')::int AS reopened
     FROM ev`,
    [t.tenantId, t.clusterId, t.source, t.reportId, t.collectedAt],
  );
  const upsertMs = performance.now() - mark;

  mark = performance.now();
  const resolved = await client.query<{ resolved: number }>(
    `WITH r AS (
       UPDATE findings f SET status = 'resolved', resolved_at = $5
       WHERE f.tenant_id = $1 AND f.cluster_id = $2 AND f.source = $3 AND f.status = 'open'
         AND f.last_report_id <> $4
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
       RETURNING f.id
     ), ev AS (
       INSERT INTO finding_events (tenant_id, finding_id, report_id, from_status, to_status, at)
       SELECT $1, r.id, $4, 'open', 'resolved', $5 FROM r
       RETURNING 1
     )
     SELECT count(*)::int AS resolved FROM ev`,
    [
      t.tenantId,
      t.clusterId,
      t.source,
      t.reportId,
      t.collectedAt,
      t.namespaces,
      jsonbText(t.keepOpen ?? []),
      t.clusterScoped === true,
      t.excludeNamespaces ?? null,
    ],
  );
  await client.query(
    `INSERT INTO snapshot_heads (tenant_id, cluster_id, source, scope_key, collected_at, report_id)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (tenant_id, cluster_id, source, scope_key)
     DO UPDATE SET collected_at = excluded.collected_at, report_id = excluded.report_id`,
    [t.tenantId, t.clusterId, t.source, t.scopeKey, t.collectedAt, t.reportId],
  );
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
