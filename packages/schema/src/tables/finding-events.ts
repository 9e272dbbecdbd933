import { sql } from "drizzle-orm";
import { bigint, index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { tenantId, ts } from "./columns.js";

/**
 * Status history of a finding: one row per transition. Snapshot transitions (opened, resolved, reopened) carry
 * the report that caused them; suppression transitions (open → suppressed, suppressed → open) the suppression.
 */
export const findingEvents = pgTable(
  "finding_events",
  {
    id: bigint("id", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    tenantId: tenantId(),
    findingId: text("finding_id").notNull(),
    reportId: text("report_id"),
    suppressionId: text("suppression_id"),
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    /** the change feed's type, derived from the transition so every writer agrees */
    kind: text("kind")
      .notNull()
      .generatedAlwaysAs(
        sql`CASE WHEN from_status IS NULL THEN 'new' WHEN to_status = 'resolved' THEN 'resolved' WHEN to_status = 'suppressed' THEN 'suppressed' WHEN from_status = 'suppressed' THEN 'unsuppressed' ELSE 'reopened' END`,
      ),
    at: ts("at").notNull(),
    /**
     * When the change was written (the applying transaction's start): summaries window on it, so a snapshot
     * collected before a tick but applied after it still reaches the next summary. Null for events older than
     * this column.
     */
    recordedAt: ts("recorded_at").defaultNow(),
  },
  (t) => [
    primaryKey({ name: "finding_events_pk", columns: [t.tenantId, t.id] }),
    index("finding_events_finding_idx").on(t.tenantId, t.findingId, t.at),
    // GET /v1/changes: a time window, keyset on (at, id)
    index("finding_events_at_idx").on(t.tenantId, t.at, t.id),
    // notification summaries: the changes recorded in a period
    index("finding_events_recorded_idx").on(t.tenantId, t.recordedAt),
  ],
);
