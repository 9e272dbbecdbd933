import { pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { tenantId, ts } from "./columns.js";

/** The newest snapshot applied per (cluster, source, scope): older snapshots change nothing (contract §1.4). */
export const snapshotHeads = pgTable(
  "snapshot_heads",
  {
    tenantId: tenantId(),
    clusterId: text("cluster_id").notNull(),
    source: text("source").notNull(),
    scopeKey: text("scope_key").notNull(),
    collectedAt: ts("collected_at").notNull(),
    reportId: text("report_id").notNull(),
  },
  (t) => [
    primaryKey({ name: "snapshot_heads_pk", columns: [t.tenantId, t.clusterId, t.source, t.scopeKey] }),
  ],
);
