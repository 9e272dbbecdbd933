import { date, foreignKey, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { clusters } from "./clusters.js";
import { tenantId } from "./columns.js";

/**
 * Resolutions per cluster, UTC day (of the snapshot that resolved them), strategy and severity, counted by the
 * snapshot's resolve statement: the posture's "resolved in the last 7 days" and the history's daily
 * resolutions, without scanning resolved findings.
 */
export const postureResolved = pgTable(
  "posture_resolved",
  {
    tenantId: tenantId(),
    clusterId: text("cluster_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    strategy: text("strategy").notNull(),
    severity: text("severity").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [
    primaryKey({
      name: "posture_resolved_pk",
      columns: [t.tenantId, t.clusterId, t.day, t.strategy, t.severity],
    }),
    foreignKey({
      name: "posture_resolved_cluster_fk",
      columns: [t.clusterId],
      foreignColumns: [clusters.id],
    }).onDelete("cascade"),
  ],
);
