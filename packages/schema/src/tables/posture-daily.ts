import { date, foreignKey, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { clusters } from "./clusters.js";
import { tenantId, ts } from "./columns.js";

/** Open, unsuppressed findings per strategy: `{ "PROT-MTLS": [critical, high, medium, low, info] }`. */
export type StrategyCounts = Record<string, [number, number, number, number, number]>;

/**
 * Posture history: one point per cluster and UTC day, the state at the day's last write (a snapshot applied,
 * a suppression changed, or the closing job). Scores are computed when read, from the counts.
 */
export const postureDaily = pgTable(
  "posture_daily",
  {
    tenantId: tenantId(),
    clusterId: text("cluster_id").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    counts: jsonb("counts").$type<StrategyCounts>().notNull(),
    /** carried: no write that day, the previous point's counts repeated by the closing job */
    origin: text("origin").notNull(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "posture_daily_pk", columns: [t.tenantId, t.clusterId, t.day] }),
    foreignKey({
      name: "posture_daily_cluster_fk",
      columns: [t.clusterId],
      foreignColumns: [clusters.id],
    }).onDelete("cascade"),
  ],
);
