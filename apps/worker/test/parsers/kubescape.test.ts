import { describe, expect, it } from "vitest";
import { kubescapeSeverity } from "../../src/parsers/kubescape.js";
import { kubescape2022, kubescapeV3 } from "../fixtures/kubescape.js";
import { firstProblem, parseWith } from "./helpers.js";

const parse = (r: unknown) => parseWith("kubescape", r);

describe("kubescape", () => {
  it("emits one finding per failed (control, resource); passed controls produce nothing", () => {
    const r = parse(kubescapeV3());
    expect(r.findings.map((f) => [f.ruleId, f.resource.kind, f.resource.name, f.resource.container])).toEqual(
      [
        ["C-0013", "Deployment", "web", "istio-init"],
        ["C-0017", "Deployment", "web", null],
        ["C-0999", "Deployment", "web", null],
        ["CIS-5.2.7", "Deployment", "web", null],
        ["C-0057", "Deployment", "api", null],
      ],
    );
  });

  it("takes severity from scoreFactor and maps controls; CIS controls through the CIS text rules", () => {
    const r = parse(kubescapeV3());
    const by = new Map(r.findings.map((f) => [f.ruleId, f]));
    expect(by.get("C-0013")).toMatchObject({
      severity: "medium",
      taxonomy: { strategy: "LP-CTR", mapped: true },
    });
    expect(by.get("C-0999")).toMatchObject({
      severity: "critical",
      taxonomy: { strategy: "PROT-EDGE", mapped: false },
    });
    expect(by.get("CIS-5.2.7")).toMatchObject({
      severity: "info",
      taxonomy: { strategy: "LP-CTR", mapped: true },
    });
    expect(by.get("C-0017")?.details.fixPaths).toEqual([
      "spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem=true",
      "spec.template.spec.initContainers[0].securityContext.readOnlyRootFilesystem=true",
    ]);
  });

  it("maps scoreFactor thresholds", () => {
    expect([10, 9, 7, 4, 1, 0.5, null].map(kubescapeSeverity)).toEqual([
      "critical",
      "critical",
      "high",
      "medium",
      "low",
      "info",
      "info",
    ]);
  });

  it("reads 2022 files through the rule status and names pods by their owner", () => {
    const r = parse(kubescape2022());
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ ruleId: "C-0016", severity: "medium" });
    expect(r.findings[0]?.resource).toMatchObject({ kind: "Deployment", namespace: "shop", name: "web" });
    expect(r.findings[0]?.details.failedPaths).toEqual(["spec.containers[0]"]);
  });

  it.each([
    [null, "$"],
    [{ foo: 1 }, "$.summaryDetails"],
    [{ summaryDetails: {}, results: [{ controls: [] }] }, "$.results[0].resourceID"],
    [
      { summaryDetails: {}, results: [{ resourceID: "a/b/c", controls: [{ controlID: "C-1", status: 3 }] }] },
      "$.results[0].controls[0].status",
    ],
  ])("refuses or skips %j at %s", (report, path) => {
    expect(firstProblem(() => parse(report))).toMatch(
      new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `),
    );
  });
});
