import { readFileSync } from "node:fs";
import { SOURCES, type Source } from "@bulwark/schema";
import { describe, expect, it } from "vitest";
import { ReportParseError } from "../../src/parsers/types.js";
import { analyzeReport } from "../fixtures/istioctl.js";
import { controlsReport, legacyControlsReport } from "../fixtures/kube-bench.js";
import { kubeHunterReport } from "../fixtures/kube-hunter.js";
import { kubescapeV3 } from "../fixtures/kubescape.js";
import { polarisReport } from "../fixtures/polaris.js";
import { popeyeSections } from "../fixtures/popeye.js";
import { imageReport, k8sReport, k8sResource, legacyReport, vuln } from "../fixtures/trivy.js";
import { configAudit, vulnReport } from "../fixtures/trivy-operator.js";
import { parseWith, thrown } from "./helpers.js";

const sample = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../../samples/${name}`, import.meta.url), "utf8")) as unknown;

/** One real-shaped report per source, to send as every other source. */
const REPORTS: Record<Source, unknown[]> = {
  trivy: [imageReport(), k8sReport([k8sResource("Deployment", "web", "nginx:1")]), legacyReport()],
  "trivy-operator": [
    { apiVersion: "v1", kind: "List", items: [vulnReport("ReplicaSet", "web-7d4b9c8f5d", "app")] },
  ],
  "kube-bench": [controlsReport(), legacyControlsReport()],
  polaris: [polarisReport()],
  popeye: [popeyeSections()],
  kubescape: [kubescapeV3()],
  "kube-hunter": [kubeHunterReport()],
  "istioctl-analyze": [analyzeReport()],
  "mesh-config": [sample("mesh-config.json")],
};

describe("each parser recognises its own tool's output positively", () => {
  for (const source of SOURCES) {
    it(`${source}: refuses {} (not an empty scan)`, () => {
      expect(thrown(() => parseWith(source, {}))).toBeInstanceOf(ReportParseError);
    });

    for (const other of SOURCES.filter((s) => s !== source)) {
      it(`${source}: refuses a ${other} report`, () => {
        for (const report of REPORTS[other]) {
          const e = thrown(() => parseWith(source, report));
          expect(e, `${other} report parsed as ${source}`).toBeInstanceOf(ReportParseError);
          expect(e.message).toMatch(/^\$/);
        }
      });
    }

    it(`${source}: reads its own samples`, () => {
      for (const report of REPORTS[source]) expect(() => parseWith(source, report)).not.toThrow();
    });
  }
});

/** The genuinely empty scan of each tool (README: "What an empty scan looks like"). */
const EMPTY: [Source, unknown][] = [
  ["trivy", { SchemaVersion: 2, ArtifactName: "alpine:3.20", ArtifactType: "container_image" }],
  ["trivy", { SchemaVersion: 2, ArtifactName: ".", ArtifactType: "filesystem", Results: [] }],
  ["trivy", { ClusterName: "prod", Resources: [] }],
  ["trivy", { ClusterName: "prod", Findings: null }],
  ["trivy-operator", { apiVersion: "v1", kind: "List", items: [] }],
  ["kube-bench", { Controls: [], Totals: { total_pass: 0, total_fail: 0, total_warn: 0, total_info: 0 } }],
  ["kube-bench", { Controls: null }],
  ["polaris", { PolarisOutputVersion: "1.0", AuditTime: "2026-01-01T00:00:00Z", Results: [] }],
  ["popeye", { popeye: { score: 100, grade: "A", sections: [] } }],
  ["kubescape", { summaryDetails: { controls: {} } }],
  ["kube-hunter", { nodes: [], services: [], vulnerabilities: [] }],
  ["istioctl-analyze", []],
];

const NOT_EMPTY: [Source, unknown][] = [
  ["trivy", []],
  ["trivy", { Results: [] }],
  ["trivy", { ClusterName: "prod" }],
  ["trivy-operator", []],
  ["trivy-operator", { items: [] }],
  ["kube-bench", []],
  ["kube-bench", { Totals: {} }],
  ["polaris", { Results: [] }],
  ["popeye", { popeye: {} }],
  ["kubescape", { results: [] }],
  ["kube-hunter", { vulnerabilities: [] }],
  ["istioctl-analyze", { messages: null }],
  ["mesh-config", { apiVersion: "v1", kind: "List", items: [] }],
  ["mesh-config", { kind: "List", items: [{ apiVersion: "v1", kind: "Fruit", metadata: { name: "x" } }] }],
];

describe("what an empty scan looks like", () => {
  it.each(EMPTY)("%s accepts %j as a scan with nothing to report", (source, report) => {
    expect(parseWith(source, report).findings).toEqual([]);
  });

  it.each(NOT_EMPTY)("%s refuses %j", (source, report) => {
    expect(thrown(() => parseWith(source, report))).toBeInstanceOf(ReportParseError);
  });
});

describe("tolerant parsers: a malformed entry is skipped, not fatal", () => {
  it("skips a vulnerability without its id, keeps its resource's findings open, and warns with the path", () => {
    const report = k8sReport([
      k8sResource("Deployment", "web", "nginx:1"),
      k8sResource("Deployment", "api", "node:20"),
    ]);
    const first = report.Resources[0] as { Results: { Vulnerabilities?: unknown[] }[] };
    const vulns = first.Results.find((r) => r.Vulnerabilities)?.Vulnerabilities as unknown[];
    vulns.push({
      ...(vuln("CVE-2024-0001", "openssl") as Record<string, unknown>),
      VulnerabilityID: undefined,
    });
    const all = parseWith(
      "trivy",
      k8sReport([k8sResource("Deployment", "web", "nginx:1"), k8sResource("Deployment", "api", "node:20")]),
    );
    const r = parseWith("trivy", report);
    expect(r.findings).toHaveLength(all.findings.length);
    expect(r.skipped?.count).toBe(1);
    expect(r.skipped?.first[0]?.path).toMatch(
      /^\$\.Resources\[0\]\.Results\[\d+\]\.Vulnerabilities\[\d+\]\.VulnerabilityID$/,
    );
    expect(r.skipped?.keepOpen).toEqual([{ kind: "Deployment", namespace: "shop", name: "web" }]);
  });

  it("fails a report whose every entry was skipped (nothing usable)", () => {
    const e = thrown(() => parseWith("kube-hunter", { nodes: [], vulnerabilities: [{ vid: "KHV002" }, {}] }));
    expect(e).toBeInstanceOf(ReportParseError);
    expect(e.message).toMatch(/nothing usable: all 2 vulnerabilities were skipped/);
  });

  it("keeps what a skipped entry without any readable context may have matched: everything", () => {
    const r = parseWith("trivy", {
      ClusterName: "c",
      Resources: [k8sResource("Deployment", "web", "nginx:1"), { Name: "x", Results: [] }],
    });
    expect(r.skipped?.first[0]?.path).toBe("$.Resources[1].Kind");
    // no Namespace key: a cluster-scoped resource; only findings without a namespace are kept
    expect(r.skipped?.keepOpen).toEqual([{ namespace: null }]);
  });

  it("an object of a kind trivy-operator never writes cannot have produced a finding", () => {
    const r = parseWith("trivy-operator", {
      kind: "List",
      items: [configAudit("Pod", "x", []), { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } }],
    });
    expect(r.skipped?.count).toBe(1);
    expect(r.skipped?.keepOpen).toEqual([]);
  });
});
