import { type Db, withTenant } from "@bulwark/runtime";
import { type ReportStats, type ReportWarnings, type Scope, tables } from "@bulwark/schema";
import { and, eq, sql } from "drizzle-orm";
import type pg from "pg";

const { reports } = tables;

export interface LoadedReport {
  id: string;
  tenantId: string;
  clusterId: string;
  source: string;
  status: string;
  collectedAt: Date;
  scopeKey: string;
  scope: Scope | null;
  /** the payload is in the bytea column (read in slices by openPayload, never whole) */
  payloadInDb: boolean;
  /** the payload's object in the object store (payload is then null) */
  payloadKey: string | null;
  attempts: number;
}

function where(tenantId: string, reportId: string) {
  return and(eq(reports.tenantId, tenantId), eq(reports.id, reportId));
}

/** Claim a report for processing: returns null when it does not exist or is already finished (idempotent). */
export async function claimReport(
  pool: pg.Pool,
  tenantId: string,
  reportId: string,
): Promise<LoadedReport | null> {
  return withTenant(pool, tenantId, async (db) => {
    const rows = await db
      .update(reports)
      .set({ status: "processing", startedAt: new Date(), attempts: sql`${reports.attempts} + 1` })
      .where(and(where(tenantId, reportId), sql`${reports.status} in ('queued', 'processing')`))
      .returning({
        id: reports.id,
        tenantId: reports.tenantId,
        clusterId: reports.clusterId,
        source: reports.source,
        status: reports.status,
        collectedAt: reports.collectedAt,
        scopeKey: reports.scopeKey,
        scope: reports.scope,
        payloadInDb: sql<boolean>`${reports.payload} is not null`,
        payloadKey: reports.payloadKey,
        attempts: reports.attempts,
      });
    return rows[0] ?? null;
  });
}

export async function markDone(
  db: Db,
  tenantId: string,
  reportId: string,
  stats: ReportStats,
  supersededBy: string | null,
  warnings: ReportWarnings | null = null,
): Promise<void> {
  await db
    .update(reports)
    .set({ status: "done", processedAt: new Date(), stats, supersededBy, error: null, warnings })
    .where(where(tenantId, reportId));
}

/** Terminal failure, recorded in Postgres (not only in Redis). Changes no finding. */
export async function markFailed(
  pool: pg.Pool,
  tenantId: string,
  reportId: string,
  error: string,
): Promise<void> {
  await withTenant(pool, tenantId, (db) =>
    db
      .update(reports)
      .set({ status: "failed", processedAt: new Date(), error: error.slice(0, 4000) })
      .where(and(where(tenantId, reportId), sql`${reports.status} <> 'done'`)),
  );
}
