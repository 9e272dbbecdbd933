import { type FindingDraft, SEVERITY_RANK, type Severity, taxonomyFor } from "@bulwark/schema";
import { EXPECTED_BY_SIDECAR_DESIGN } from "./mesh-expected.js";

/**
 * Findings raised on `istio-init` / `istio-proxy` only because of the sidecar design are one platform choice
 * (istio-init without the Istio CNI), not N application problems: they are replaced by ONE finding,
 * MESH-CNI-01, per report. Its identity is the rule alone (resource all null but the container), so it keeps
 * its fingerprint whatever workloads come and go; the workloads are evidence in `details`.
 */
export const MESH_CNI_RULE = "MESH-CNI-01";
export const MAX_WORKLOADS = 200;

const EXPECTED = new Set(EXPECTED_BY_SIDECAR_DESIGN.map((e) => `${e.container}\u0000${e.ruleId}`));

export function isExpectedBySidecarDesign(d: Pick<FindingDraft, "ruleId" | "resource">): boolean {
  const c = d.resource.container;
  return (c === "istio-init" || c === "istio-proxy") && EXPECTED.has(`${c}\u0000${d.ruleId}`);
}

const sorted = (s: Set<string>) => [...s].sort();

/**
 * The fold over a report read in pieces: `take` passes the drafts that stay and remembers the sidecar-design
 * ones; `folded` is the one finding they become (null when there were none), once the report is read.
 */
export class MeshFolder {
  private readonly rules = new Set<string>();
  private readonly containers = new Set<string>();
  private readonly workloads = new Set<string>();
  private folded = 0;
  private severity: Severity = "info";

  take(drafts: readonly FindingDraft[]): FindingDraft[] {
    const kept: FindingDraft[] = [];
    for (const d of drafts) {
      if (!isExpectedBySidecarDesign(d)) {
        kept.push(d);
        continue;
      }
      this.folded++;
      this.rules.add(d.ruleId);
      this.containers.add(d.resource.container as string);
      const r = d.resource;
      this.workloads.add(`${r.namespace ?? "-"}/${r.kind ?? "-"}/${r.name ?? "-"}`);
      if (SEVERITY_RANK[d.severity] < SEVERITY_RANK[this.severity]) this.severity = d.severity;
    }
    return kept;
  }

  result(): FindingDraft | null {
    if (this.folded === 0) return null;
    const list = sorted(this.workloads);
    return {
      ruleId: MESH_CNI_RULE,
      title: "Mesh uses privileged init containers (istio-init without the Istio CNI)",
      severity: this.severity,
      resource: { kind: null, namespace: null, name: null, container: "istio-init", image: null },
      taxonomy: taxonomyFor("LP-CTR", ["SP 800-204B AHLC-SR-1"], true),
      remediation:
        "Install the Istio CNI node agent (or move to ambient mode) so pods no longer need the privileged " +
        "istio-init container. UID/GID 1337 in istio-proxy is by design.",
      references: ["https://istio.io/latest/docs/setup/additional-setup/cni/"],
      details: {
        foldedRuleIds: sorted(this.rules),
        containers: sorted(this.containers),
        foldedFindings: this.folded,
        workloadCount: list.length,
        workloads: list.slice(0, MAX_WORKLOADS),
      },
      identity: [],
    };
  }
}

/** Drafts of one report (one source) → the same drafts with the sidecar-design ones folded into one. */
export function foldMeshInjected(drafts: FindingDraft[]): FindingDraft[] {
  const folder = new MeshFolder();
  const kept = folder.take(drafts);
  const folded = folder.result();
  if (folded) kept.push(folded);
  return kept;
}
