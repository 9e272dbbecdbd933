import { foreignKey, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { clusters } from "./clusters.js";
import { tenantId, ts } from "./columns.js";

/**
 * Compliance evidence per cluster and framework (trivy-operator ClusterComplianceReport: control → checks →
 * pass/fail), the latest applied snapshot's. Kept as evidence, not findings: the checks behind each control are
 * findings already (ConfigAudit/RbacAssessment/InfraAssessment), and a finding per control would count each
 * problem twice.
 */
export const complianceReports = pgTable(
  "compliance_reports",
  {
    tenantId: tenantId(),
    clusterId: text("cluster_id").notNull(),
    /** the framework's id in the report (spec.compliance.id, e.g. "cis", "nsa", "pss-restricted") */
    frameworkId: text("framework_id").notNull(),
    title: text("title"),
    version: text("version"),
    reportId: text("report_id").notNull(),
    collectedAt: ts("collected_at").notNull(),
    summary: jsonb("summary").$type<{ pass: number; fail: number; manual: number }>().notNull(),
    controls: jsonb("controls").$type<unknown[]>().notNull(),
  },
  (t) => [
    primaryKey({ name: "compliance_reports_pk", columns: [t.tenantId, t.clusterId, t.frameworkId] }),
    foreignKey({
      name: "compliance_reports_cluster_fk",
      columns: [t.clusterId],
      foreignColumns: [clusters.id],
    }).onDelete("cascade"),
  ],
);
