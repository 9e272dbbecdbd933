import { withTenant } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { and, eq } from "drizzle-orm";
import type pg from "pg";

const { reports } = tables;

/**
 * What a job's log lines and metrics name: the upload's request id (kept on the report row, so a retry or a
 * sweep's re-enqueue still carries it) and the source. Null when the report is gone.
 */
export async function reportContext(
  pool: pg.Pool,
  tenantId: string,
  reportId: string,
): Promise<{ requestId: string | null; source: string } | null> {
  const rows = await withTenant(pool, tenantId, (db) =>
    db
      .select({ requestId: reports.requestId, source: reports.source })
      .from(reports)
      .where(and(eq(reports.tenantId, tenantId), eq(reports.id, reportId))),
  );
  return rows[0] ?? null;
}

/**
 * An older report of the same (cluster, source, scope) that is still unfinished and was accepted within the
 * wait window, if any: this report should wait for it, so snapshots apply in collectedAt order even when the
 * older one's job was held by a worker that crashed (it would otherwise end superseded, its findings never
 * recorded). Null when there is none, when this report is itself older than the window or finished.
 */
export async function olderUnfinishedReport(
  pool: pg.Pool,
  tenantId: string,
  reportId: string,
  waitMs: number,
): Promise<string | null> {
  if (waitMs <= 0) return null;
  return withTenant(pool, tenantId, async (_db, client) => {
    const r = await client.query<{ id: string }>(
      `SELECT o.id FROM reports r
       JOIN reports o ON o.tenant_id = r.tenant_id AND o.cluster_id = r.cluster_id AND o.source = r.source
        AND o.scope_key = r.scope_key
       WHERE r.tenant_id = $1 AND r.id = $2 AND r.status IN ('queued', 'processing')
         AND r.received_at > now() - make_interval(secs => $3::float8 / 1000)
         AND o.received_at > now() - make_interval(secs => $3::float8 / 1000) * 2
         AND o.status IN ('queued', 'processing') AND o.collected_at < r.collected_at AND o.id <> r.id
       LIMIT 1`,
      [tenantId, reportId, waitMs],
    );
    return r.rows[0]?.id ?? null;
  });
}
