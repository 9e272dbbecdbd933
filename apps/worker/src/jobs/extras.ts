import type { PoolClient } from "@bulwark/runtime";
import type { Source } from "@bulwark/schema";
import { writeMeshCoverage } from "../mesh/store.js";
import { writeCompliance } from "../parsers/trivy-operator/store.js";

export interface ExtrasTarget {
  tenantId: string;
  clusterId: string;
  reportId: string;
  collectedAt: Date;
}

/**
 * What a snapshot carries besides findings, persisted in the transaction that applied it (so extras and
 * findings always come from the same report): mesh coverage facts, compliance evidence.
 */
export async function writeSnapshotExtras(
  client: PoolClient,
  source: Source,
  target: ExtrasTarget,
  meta: Record<string, unknown> | undefined,
): Promise<void> {
  if (source === "mesh-config") await writeMeshCoverage(client, target, meta?.coverage);
  if (source === "trivy-operator") await writeCompliance(client, target, meta?.compliance);
}
