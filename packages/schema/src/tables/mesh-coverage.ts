import { foreignKey, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { clusters } from "./clusters.js";
import { tenantId, ts } from "./columns.js";

/**
 * The latest mesh coverage facts per cluster (shares of workloads with STRICT mTLS, authorization, a proxy,
 * end-user authentication), written by the worker with each applied mesh-config snapshot. One row per
 * cluster: history lives in the reports, this is what GET /v1/clusters/{id}/mesh-coverage serves.
 */
export const meshCoverage = pgTable(
  "mesh_coverage",
  {
    tenantId: tenantId(),
    clusterId: text("cluster_id").notNull(),
    reportId: text("report_id").notNull(),
    collectedAt: ts("collected_at").notNull(),
    facts: jsonb("facts").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    primaryKey({ name: "mesh_coverage_pk", columns: [t.tenantId, t.clusterId] }),
    foreignKey({
      name: "mesh_coverage_cluster_fk",
      columns: [t.clusterId],
      foreignColumns: [clusters.id],
    }).onDelete("cascade"),
  ],
);
