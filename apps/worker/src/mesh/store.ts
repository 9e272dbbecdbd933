import type { PoolClient } from "@bulwark/runtime";
import { isRec } from "../parsers/util.js";
import { jsonbText } from "../snapshot/copy-text.js";

export interface CoverageTarget {
  tenantId: string;
  clusterId: string;
  reportId: string;
  collectedAt: Date;
}

/**
 * Persist a mesh-config snapshot's coverage facts, in the caller's tenant transaction (the one that applied
 * the snapshot), so facts and findings always come from the same report. A row from a newer snapshot is
 * never overwritten by an older one, mirroring the snapshot head rule.
 */
export async function writeMeshCoverage(
  client: PoolClient,
  t: CoverageTarget,
  facts: unknown,
): Promise<void> {
  if (!isRec(facts)) return;
  await client.query(
    `INSERT INTO mesh_coverage (tenant_id, cluster_id, report_id, collected_at, facts)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tenant_id, cluster_id) DO UPDATE
       SET report_id = excluded.report_id, collected_at = excluded.collected_at, facts = excluded.facts
       WHERE mesh_coverage.collected_at <= excluded.collected_at`,
    [t.tenantId, t.clusterId, t.reportId, t.collectedAt, jsonbText(facts)],
  );
}
