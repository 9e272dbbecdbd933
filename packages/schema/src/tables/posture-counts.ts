import { foreignKey, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { clusters } from "./clusters.js";
import { tenantId } from "./columns.js";

/**
 * Maintained posture: the number of open findings per (cluster, source, strategy, severity, suppressed_until),
 * changed by deltas in the same transaction as the snapshot or suppression that moves them. `suppressed_until`
 * is '-infinity' for findings no suppression covers; a read counts a row as suppressed while now() is before
 * it, so an expiry moves the posture at its instant with nothing written. Source is in the key so snapshots of
 * different sources (serialised per cluster and source) never wait on each other's counter rows.
 */
export const postureCounts = pgTable(
  "posture_counts",
  {
    tenantId: tenantId(),
    clusterId: text("cluster_id").notNull(),
    source: text("source").notNull(),
    strategy: text("strategy").notNull(),
    severity: text("severity").notNull(),
    suppressedUntil: timestamp("suppressed_until", { withTimezone: true, mode: "date" }).notNull(),
    n: integer("n").notNull(),
  },
  (t) => [
    primaryKey({
      name: "posture_counts_pk",
      columns: [t.tenantId, t.clusterId, t.source, t.strategy, t.severity, t.suppressedUntil],
    }),
    foreignKey({
      name: "posture_counts_cluster_fk",
      columns: [t.clusterId],
      foreignColumns: [clusters.id],
    }).onDelete("cascade"),
  ],
);
