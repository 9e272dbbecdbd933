import type { MeshFacts } from "../../routes/mesh/schema.js";

export interface MeshCoverageView {
  cluster: { id: string; name: string };
  reportId: string | null;
  collectedAt: Date | null;
  facts: MeshFacts | null;
}

export interface CoverageRow {
  id: string;
  name: string;
  report_id: string | null;
  collected_at: Date | null;
  facts: unknown;
}

export function toView(r: CoverageRow): MeshCoverageView {
  return {
    cluster: { id: r.id, name: r.name },
    reportId: r.report_id,
    collectedAt: r.collected_at,
    // written only by the worker's mesh analyzer, in this shape
    facts: (r.facts ?? null) as MeshFacts | null,
  };
}
