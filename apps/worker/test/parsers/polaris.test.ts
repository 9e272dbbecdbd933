import { describe, expect, it } from "vitest";
import { polarisSeverity } from "../../src/parsers/polaris.js";
import { polaris2020, polarisReport } from "../fixtures/polaris.js";
import { firstProblem, parseWith } from "./helpers.js";

const parse = (r: unknown) => parseWith("polaris", r);

describe("polaris", () => {
  it("reads workload, pod and container checks; Success true and severity ignore produce nothing", () => {
    const r = parse(polarisReport());
    expect(r.findings.map((f) => [f.ruleId, f.resource.container, f.details.level])).toEqual([
      ["deploymentMissingReplicas", null, "workload"],
      ["hostNetworkSet", null, "pod"],
      ["runAsRootAllowed", "app", "container"],
      ["cpuLimitsMissing", "app", "container"],
      ["dangerousCapabilities", "istio-init", "container"],
      ["pdbDisruptionsIsZero", null, "workload"],
      ["customCheck", null, "workload"],
    ]);
    expect(r.meta).toMatchObject({ score: 60, workloads: 2 });
  });

  it("keeps Polaris' category and severity in details and maps by the table", () => {
    const f = parse(polarisReport()).findings.find((x) => x.ruleId === "hostNetworkSet");
    expect(f).toMatchObject({ severity: "high", details: { category: "Security", toolSeverity: "danger" } });
    expect(f?.taxonomy).toMatchObject({ strategy: "LP-CTR", mapped: true });
    expect(f?.details.also).toEqual(["PROT-COVER"]);
  });

  it("places unknown checks by Polaris' category with mapped = false", () => {
    const f = parse(polarisReport()).findings.find((x) => x.ruleId === "customCheck");
    expect(f?.taxonomy).toMatchObject({ strategy: "RES-CAP", mapped: false });
    expect(f?.severity).toBe("medium");
  });

  it("maps the severity vocabulary of every release", () => {
    expect(["danger", "error", "warning", "ignore"].map(polarisSeverity)).toEqual([
      "high",
      "high",
      "medium",
      null,
    ]);
  });

  it("accepts the Jan-2020 1.0 shape (Messages, error) and names the ReplicaSet by its Deployment", () => {
    const r = parse(polaris2020());
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.resource.kind, f.resource.name])).toEqual([
      ["hostIPCSet", "high", "Deployment", "web"],
      ["readinessProbeMissing", "medium", "Deployment", "web"],
    ]);
  });

  it.each([
    [[], "$"],
    [{ ClusterSummary: {}, NamespacedResults: {} }, "$.NamespacedResults"],
    [{ foo: 1 }, "$.PolarisOutputVersion"],
    [
      { PolarisOutputVersion: "1.0", Results: [{ Kind: "Deployment", Name: "x", Results: "x" }] },
      "$.Results[0].Results",
    ],
    [
      {
        PolarisOutputVersion: "1.0",
        Results: [{ Kind: "Deployment", Name: "x", Results: { a: { ID: "a" } } }],
      },
      "$.Results[0].Results.a.Success",
    ],
  ])("refuses or skips %j at %s", (report, path) => {
    expect(firstProblem(() => parse(report))).toMatch(
      new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `),
    );
  });
});
