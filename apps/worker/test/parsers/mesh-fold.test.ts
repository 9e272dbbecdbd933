import { type FindingDraft, fingerprint, taxonomyFor } from "@bulwark/schema";
import { describe, expect, it } from "vitest";
import { EXPECTED_BY_SIDECAR_DESIGN } from "../../src/normalize/mesh-expected.js";
import { foldMeshInjected, MAX_WORKLOADS } from "../../src/normalize/mesh-fold.js";
import { check, configAudit } from "../fixtures/trivy-operator.js";
import { parseWith } from "./helpers.js";

const draft = (
  ruleId: string,
  container: string | null,
  name = "web",
  severity: FindingDraft["severity"] = "low",
): FindingDraft => ({
  ruleId,
  title: ruleId,
  severity,
  resource: { kind: "Deployment", namespace: "shop", name, container, image: null },
  taxonomy: taxonomyFor("LP-CTR"),
  remediation: null,
  references: [],
  details: {},
  identity: [],
});

describe("foldMeshInjected", () => {
  it("replaces sidecar-design findings by one MESH-CNI-01 finding, keeping the rest", () => {
    const out = foldMeshInjected([
      draft("KSV-0012", "app"),
      draft("KSV-0012", "istio-init", "web", "medium"),
      draft("KSV-0022", "istio-init", "api", "high"),
      draft("KSV-0020", "istio-proxy"),
      draft("KSV-0013", "istio-init"),
    ]);
    expect(out.map((f) => [f.ruleId, f.resource.container])).toEqual([
      ["KSV-0012", "app"],
      ["KSV-0013", "istio-init"],
      ["MESH-CNI-01", "istio-init"],
    ]);
    const mesh = out[2];
    expect(mesh).toMatchObject({
      severity: "high",
      title: "Mesh uses privileged init containers (istio-init without the Istio CNI)",
      resource: { kind: null, namespace: null, name: null, container: "istio-init", image: null },
      taxonomy: { strategy: "LP-CTR", category: "LP", mapped: true },
      identity: [],
    });
    expect(mesh?.details).toMatchObject({
      foldedRuleIds: ["KSV-0012", "KSV-0020", "KSV-0022"],
      foldedFindings: 3,
      workloadCount: 2,
      workloads: ["shop/Deployment/api", "shop/Deployment/web"],
    });
  });

  it("has a fingerprint that does not depend on the workloads folded", () => {
    const a = foldMeshInjected([draft("KSV-0012", "istio-init", "web")]).at(-1) as FindingDraft;
    const b = foldMeshInjected([
      draft("runAsRootAllowed", "istio-init", "x"),
      draft("KSV-0105", "istio-init", "y"),
    ]).at(-1) as FindingDraft;
    expect(fingerprint("trivy", a)).toBe(fingerprint("trivy", b));
  });

  it("caps the workload list and leaves reports without sidecar findings untouched", () => {
    const many = Array.from({ length: 250 }, (_, i) => draft("KSV-0012", "istio-init", `w${i}`));
    const [mesh] = foldMeshInjected(many);
    expect(mesh?.details).toMatchObject({ workloadCount: 250 });
    expect((mesh?.details.workloads as string[] | undefined)?.length).toBe(MAX_WORKLOADS);
    const plain = [draft("KSV-0012", "app"), draft("KSV-0020", "istio-init-custom")];
    expect(foldMeshInjected(plain)).toEqual(plain);
  });

  it("folds what the parsers emit for istio-init (trivy-operator check messages)", () => {
    const r = parseWith(
      "trivy-operator",
      configAudit("ReplicaSet", "web-7d4b9c8f5d", [
        check("KSV012", false, [
          "Container 'app' of ReplicaSet 'web-7d4b9c8f5d' should set 'securityContext.runAsNonRoot' to true",
          "Container 'istio-init' of ReplicaSet 'web-7d4b9c8f5d' should set 'securityContext.runAsNonRoot' to true",
        ]),
      ]),
    );
    expect(foldMeshInjected(r.findings).map((f) => [f.ruleId, f.resource.container])).toEqual([
      ["KSV-0012", "app"],
      ["MESH-CNI-01", "istio-init"],
    ]);
  });

  it("has a well-formed expectation table: no (tool, ruleId, container) twice", () => {
    const keys = EXPECTED_BY_SIDECAR_DESIGN.map((e) => `${e.tool}/${e.ruleId}/${e.container}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const e of EXPECTED_BY_SIDECAR_DESIGN) expect(e.why.length).toBeGreaterThan(0);
  });
});
