import { describe, expect, it } from "vitest";
import { kubeHunterReport } from "../fixtures/kube-hunter.js";
import { firstProblem, fp, parseWith } from "./helpers.js";

const parse = (r: unknown) => parseWith("kube-hunter", r);

describe("kube-hunter", () => {
  it("uses the vid, else the vulnerability name, as ruleId", () => {
    const r = parse(kubeHunterReport());
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.resource.kind, f.resource.name])).toEqual([
      ["KHV052", "medium", "Service", "10.0.1.1:10255"],
      ["CAP_NET_RAW Enabled", "medium", "Pod", null],
      ["Some Old Hunter Finding", "high", "Node", "10.0.0.1"],
    ]);
  });

  it("maps KHV ids and names by the table and unknown ones by category", () => {
    const [a, b, c] = parse(kubeHunterReport()).findings;
    expect(a?.taxonomy).toMatchObject({ strategy: "PROT-EDGE", mapped: true });
    expect(b?.taxonomy).toMatchObject({ strategy: "LP-CTR", mapped: true });
    expect(c?.taxonomy).toMatchObject({ strategy: "LP-OPS", mapped: false });
    expect(String(c?.details.evidence).length).toBeLessThanOrEqual(501);
    expect(a?.details.service).toBe("Kubelet API (readonly)");
  });

  it("keeps the hunter pod's random name out of identity", () => {
    expect(fp("kube-hunter", parse(kubeHunterReport("kube-hunter-x2v9k")).findings)).toEqual(
      fp("kube-hunter", parse(kubeHunterReport()).findings),
    );
  });

  it("accepts an empty report", () => {
    expect(parse({ nodes: [], services: [], vulnerabilities: [] }).findings).toEqual([]);
  });

  it.each([
    [[], "$"],
    [{ nodes: [] }, "$.vulnerabilities"],
    [{ nodes: [], vulnerabilities: [{ vid: "KHV002" }] }, "$.vulnerabilities[0].vulnerability"],
    [{ vulnerabilities: [] }, "$.nodes"],
  ])("refuses or skips %j at %s", (report, path) => {
    expect(firstProblem(() => parse(report))).toMatch(
      new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `),
    );
  });
});
