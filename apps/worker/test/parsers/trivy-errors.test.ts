import { describe, expect, it } from "vitest";
import { imageReport, k8sReport, k8sResource } from "../fixtures/trivy.js";
import { firstProblem, parseTrivy } from "./helpers.js";

/** The report is refused, or the entry at fault is skipped, with this path and message. */
function expectPathError(report: unknown, message: string) {
  expect(firstProblem(() => parseTrivy(report))).toBe(message);
}

describe("trivy malformed reports", () => {
  it("rejects what is not a report", () => {
    expectPathError("hello", "$: expected a Trivy JSON report (an object or an array)");
    expectPathError(
      { foo: 1 },
      "$: expected SchemaVersion/Results (trivy ≥0.20) or ClusterName with Resources/Findings (trivy k8s)",
    );
    expectPathError({ ...imageReport(), SchemaVersion: 3 }, "$.SchemaVersion: expected 2");
  });

  it("names Results when it is not an array", () => {
    expectPathError({ ...imageReport(), Results: { Target: "x" } }, "$.Results: expected an array");
  });

  it("names the first offending vulnerability field", () => {
    const r = imageReport();
    r.Results.push({
      Target: "b",
      Class: "lang-pkgs",
      Type: "npm",
      Vulnerabilities: [{ VulnerabilityID: 42 }],
    } as never);
    expectPathError(r, "$.Results[4].Vulnerabilities[0].VulnerabilityID: expected a string");
  });

  it("names bad nested values", () => {
    const r = imageReport();
    Object.assign(r.Results[0]?.Vulnerabilities?.[0] ?? {}, { References: ["ok", 7] });
    expectPathError(r, "$.Results[0].Vulnerabilities[0].References[1]: expected a string");
    const c = imageReport();
    Object.assign(c.Results[0]?.Vulnerabilities?.[0] ?? {}, { CVSS: { nvd: { V3Score: "9.8" } } });
    expectPathError(c, "$.Results[0].Vulnerabilities[0].CVSS.nvd.V3Score: expected a number");
  });

  it("rejects unknown misconfiguration statuses and missing secret rule ids", () => {
    const m = {
      SchemaVersion: 2,
      Results: [{ Target: "a", Misconfigurations: [{ ID: "KSV001", Status: "MAYBE" }] }],
    };
    expectPathError(m, "$.Results[0].Misconfigurations[0].Status: expected PASS, FAIL or EXCEPTION");
    const s = { SchemaVersion: 2, Results: [{ Target: "a", Secrets: [{ Title: "x" }] }] };
    expectPathError(s, "$.Results[0].Secrets[0].RuleID: expected a string");
  });

  it("names the k8s resource at fault", () => {
    const bad: Record<string, unknown> = k8sResource("Deployment", "web", "nginx:1");
    delete bad.Kind;
    expectPathError(
      k8sReport([k8sResource("Deployment", "ok", "nginx:1"), bad]),
      "$.Resources[1].Kind: expected a string",
    );
    expectPathError({ ClusterName: "c", Resources: {} }, "$.Resources: expected an array");
    expectPathError(
      { ClusterName: "c", Vulnerabilities: [{ Kind: "Pod", Name: "p", Results: 5 }] },
      "$.Vulnerabilities[0].Results: expected an array",
    );
  });

  it("rejects a legacy array whose entries are not objects", () => {
    expectPathError([{ Target: "a", Vulnerabilities: null }, 3], "$[1]: expected an object");
  });
});

describe("trivy parser speed", () => {
  it("parses a 50,000-finding trivy k8s report into 50,000 drafts", () => {
    const resources = Array.from({ length: 500 }, (_, i) => {
      const r = k8sResource("ReplicaSet", `app${i}-7d4b9c8f5d`, `docker.io/org/app${i}:1.${i}`);
      const [os, lang, cfg] = r.Results;
      const vulns = Array.from({ length: 60 }, (_, j) => ({
        ...os?.Vulnerabilities?.[0],
        VulnerabilityID: `CVE-2024-${j}`,
      }));
      const misconfs = Array.from({ length: 20 }, () => cfg?.Misconfigurations?.[0]);
      const langVulns = Array.from({ length: 20 }, (_, j) => ({
        ...lang?.Vulnerabilities?.[0],
        VulnerabilityID: `GHSA-${j}`,
      }));
      return {
        ...r,
        Results: [
          { ...os, Vulnerabilities: vulns },
          { ...lang, Vulnerabilities: langVulns },
          { ...cfg, Misconfigurations: misconfs },
        ],
      };
    });
    const report = k8sReport(resources);
    // speed is measured by `npm run bench:ingest` (BENCHMARKS.md), not asserted here
    const { findings } = parseTrivy(report);
    expect(findings).toHaveLength(50_000);
  });
});
