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
