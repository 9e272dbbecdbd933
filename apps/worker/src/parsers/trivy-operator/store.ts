import type { PoolClient } from "@bulwark/runtime";
import { jsonbText } from "../../snapshot/copy-text.js";
import type { Compliance } from "./compliance.js";

export interface ComplianceTarget {
  tenantId: string;
  clusterId: string;
  reportId: string;
  collectedAt: Date;
}

/**
 * Keep the compliance evidence of a trivy-operator snapshot: one row per (cluster, framework), replaced by a
 * newer snapshot and never by an older one. Called in the transaction that applied the snapshot.
 */
export async function writeCompliance(
  client: PoolClient,
  t: ComplianceTarget,
  compliance: unknown,
): Promise<void> {
  if (!Array.isArray(compliance) || compliance.length === 0) return;
  const rows = (compliance as Compliance[]).map((c) => ({
    framework_id: c.id ?? c.title ?? "unnamed",
    title: c.title,
    version: c.version,
    summary: {
      pass: c.controls.filter((x) => x.status === "pass").length,
      fail: c.controls.filter((x) => x.status === "fail").length,
      manual: c.controls.filter((x) => x.status === "manual").length,
    },
    controls: c.controls,
  }));
  await client.query(
    `INSERT INTO compliance_reports (tenant_id, cluster_id, framework_id, title, version, report_id, collected_at,
       summary, controls)
     SELECT $1, $2, r.framework_id, r.title, r.version, $3, $4, r.summary, r.controls
     FROM jsonb_to_recordset($5::jsonb)
       AS r(framework_id text, title text, version text, summary jsonb, controls jsonb)
     ON CONFLICT (tenant_id, cluster_id, framework_id) DO UPDATE
       SET title = excluded.title, version = excluded.version, report_id = excluded.report_id,
           collected_at = excluded.collected_at, summary = excluded.summary, controls = excluded.controls
       WHERE compliance_reports.collected_at <= excluded.collected_at`,
    [t.tenantId, t.clusterId, t.reportId, t.collectedAt, jsonbText(rows)],
  );
}
