import { bigint, index, pgTable, text } from "drizzle-orm/pg-core";
import { tenantId, ts } from "./columns.js";

/** Status history of a finding: one row per transition (opened, resolved, reopened). */
export const findingEvents = pgTable(
  "finding_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: tenantId(),
    findingId: text("finding_id").notNull(),
    reportId: text("report_id"),
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    at: ts("at").notNull(),
  },
  (t) => [index("finding_events_finding_idx").on(t.tenantId, t.findingId, t.at)],
);
