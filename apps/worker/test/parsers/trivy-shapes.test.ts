import { describe, expect, it } from "vitest";
import {
  configReport,
  imageReport,
  k8sLegacyReport,
  k8sReport,
  k8sResource,
  k8sSummaryReport,
  legacyReport,
} from "../fixtures/trivy.js";
import { parseTrivy } from "./helpers.js";

describe("trivy SchemaVersion 2 image report", () => {
  const { findings, meta } = parseTrivy(imageReport());

  it("emits every vulnerability and secret, and no license", () => {
    expect(findings.map((f) => f.ruleId)).toEqual([
      "CVE-2024-0001",
      "CVE-2024-0002",
      "CVE-2022-22965",
      "aws-access-key-id",
    ]);
    expect(meta).toMatchObject({
      format: "report-v2",
      trivyVersion: "0.69.1",
      counts: { vulnerabilities: 3, secrets: 1, misconfigurations: 0, licenses: 1 },
    });
  });

  it("attaches image findings to the image, not to a workload", () => {
    for (const f of findings) {
      expect(f.resource).toEqual({
        kind: null,
        namespace: null,
        name: null,
        container: null,
        image: "registry.local/team/api:1.2.3",
      });
    }
  });

  it("maps severity, remediation, references and compact details", () => {
    const [openssl, busybox, spring] = findings;
    expect(openssl).toMatchObject({
      severity: "high",
      remediation: "Upgrade openssl to 1.0.1",
      references: ["https://avd.aquasec.com/nvd/cve-2024-0001", "https://example.org/advisory"],
      taxonomy: { strategy: "INT-VULN", category: "INT", mapped: true },
      details: {
        toolSeverity: "HIGH",
        installedVersion: "1.0.0",
        fixedVersion: "1.0.1",
        status: "fixed",
        class: "os-pkgs",
        cwe: ["CWE-787"],
        cvss: { source: "nvd", version: "3.1", score: 9.8 },
      },
    });
    expect(busybox).toMatchObject({
      severity: "info",
      remediation: null,
      details: { toolSeverity: "UNKNOWN" },
    });
    expect(spring?.details.cvss).toMatchObject({ source: "ghsa", version: "4.0", score: 9.3 });
  });

  it("maps secrets to INT-SECRET with the masked match", () => {
    const secret = findings[3];
    expect(secret).toMatchObject({
      severity: "critical",
      title: "AWS Access Key ID",
      taxonomy: { strategy: "INT-SECRET", mapped: true },
      details: {
        category: "AWS",
        target: "/app/config.env",
        startLine: 3,
        match: "AWS_ACCESS_KEY_ID=********************",
      },
    });
  });

  it("caps references at 20, deduplicated", () => {
    const r = imageReport();
    const refs = Array.from({ length: 30 }, (_, i) => `https://example.org/${i % 25}`);
    Object.assign(r.Results[0]?.Vulnerabilities?.[0] ?? {}, { References: [...refs, ...refs] });
    const refsOut = parseTrivy(r).findings[0]?.references ?? [];
    expect(refsOut).toHaveLength(20);
    expect(new Set(refsOut).size).toBe(20);
  });

  it("marks Istio images and keeps them INT-VULN", () => {
    const data = parseTrivy(imageReport("docker.io/istio/proxyv2:1.22.0-distroless")).findings[0];
    const control = parseTrivy(imageReport("gcr.io/istio-release/pilot:1.22.0")).findings[0];
    expect(data?.details.meshImage).toBe("data-plane");
    expect(control?.details.meshImage).toBe("control-plane");
    expect(data?.taxonomy.strategy).toBe("INT-VULN");
    expect(parseTrivy(imageReport()).findings[0]?.details.meshImage).toBeUndefined();
  });

  it("reads a report without Results as zero findings", () => {
    const r: Record<string, unknown> = imageReport();
    delete r.Results;
    expect(parseTrivy(r).findings).toEqual([]);
  });
});

describe("trivy fs / config report", () => {
  const { findings, meta } = parseTrivy(configReport());

  it("keeps FAIL and status-less misconfigurations, skips PASS and EXCEPTION", () => {
    expect(findings.map((f) => f.ruleId)).toEqual(["KSV-0001", "KSV-0012", "AWS-0086", "DS-0002"]);
    expect(meta).toMatchObject({ counts: { misconfigurations: 4, passedMisconfigurations: 2 } });
  });

  it("names the scanned tree and puts the file into identity", () => {
    const ksv = findings[0];
    expect(ksv?.resource).toEqual({
      kind: null,
      namespace: null,
      name: "deploy/",
      container: "app",
      image: null,
    });
    expect(ksv?.identity).toEqual(["charts/web/templates/deployment.yaml", null]);
    expect(findings[2]?.identity).toEqual(["infra/main.tf", "aws_s3_bucket.logs"]);
  });

  it("maps misconfigurations through the table and keeps Trivy's own fields in details", () => {
    expect(findings[0]).toMatchObject({
      title: "check KSV-0001",
      severity: "medium",
      remediation: "Set allowPrivilegeEscalation to false.",
      taxonomy: { strategy: "LP-CTR", nist: ["SP 800-204B AHLC-SR-4"], mapped: true },
      details: { rawId: "KSV-0001", avdId: null, toolSeverity: "MEDIUM", startLine: 10, endLine: 20 },
    });
    // cloud checks have no table row: platform baseline, listed as a gap
    expect(findings[2]?.taxonomy).toMatchObject({ strategy: "PLAT-CIS", mapped: false });
    expect(findings[2]?.details).toMatchObject({ rawId: "AVD-AWS-0086", avdId: "AVD-AWS-0086" });
  });
});

describe("trivy legacy array (< v0.20)", () => {
  it("reads null Vulnerabilities and names the image from the os-pkgs Target", () => {
    const { findings, meta } = parseTrivy(legacyReport());
    expect(meta?.format).toBe("legacy-array");
    expect(findings).toHaveLength(1);
    expect(findings[0]?.resource.image).toBe("nginx:1.19");
    expect(findings[0]?.identity).toEqual(["libc6", null, "os-pkgs"]);
  });
});

describe("trivy k8s reports", () => {
  const resources = [
    k8sResource("ReplicaSet", "web-7d4b9c8f5d", "docker.io/library/nginx:1.25"),
    k8sResource("ClusterRole", "reader", "docker.io/org/tool:1", null),
  ];

  it.each([
    ["Resources (v0.42+)", k8sReport(resources), "k8s-resources"],
    ["Findings (--report summary)", k8sSummaryReport(resources), "k8s-summary"],
  ])("reads %s", (_, report, format) => {
    const { findings, meta } = parseTrivy(report);
    expect(meta).toMatchObject({ format, clusterName: "kind-dev", resources: 2 });
    expect(findings).toHaveLength(6);
    const [os, lang, cfg] = findings;
    expect(os?.resource).toEqual({
      kind: "Deployment",
      namespace: "shop",
      name: "web",
      container: null,
      image: "docker.io/library/nginx:1.25",
    });
    expect(os?.identity).toEqual(["libssl3", null, "os-pkgs"]);
    expect(lang?.identity).toEqual(["golang.org/x/net", "usr/local/bin/app", "lang-pkgs"]);
    expect(cfg).toMatchObject({
      ruleId: "KSV-0001",
      resource: { kind: "Deployment", name: "web", container: "app" },
      identity: [],
      details: { rawId: "KSV001", avdId: "AVD-KSV-0001" },
    });
    expect(findings[5]?.resource).toMatchObject({ kind: "ClusterRole", namespace: null, name: "reader" });
  });

  it("reads the v0.27–0.41 shape with separate vulnerability and misconfiguration lists", () => {
    const { findings, meta } = parseTrivy(k8sLegacyReport());
    expect(meta).toMatchObject({ format: "k8s-legacy", clusterName: "eks-prod", resources: 2 });
    expect(findings.map((f) => f.ruleId)).toEqual(["CVE-2024-1000", "CVE-2024-2000", "KSV-0001"]);
    expect(findings.every((f) => f.resource.kind === "Deployment" && f.resource.name === "web")).toBe(true);
  });

  it("takes the image from Metadata RepoTags when no os-pkgs Target names it, and counts resource errors", () => {
    const r = k8sReport([
      {
        Namespace: "shop",
        Kind: "StatefulSet",
        Name: "db",
        Metadata: [{ RepoTags: ["docker.io/library/postgres:16.2"] }],
        Results: [
          {
            Target: "usr/bin/gosu",
            Class: "lang-pkgs",
            Type: "gobinary",
            Vulnerabilities: [{ VulnerabilityID: "CVE-1", PkgName: "x" }],
          },
        ],
      },
      { Kind: "Deployment", Name: "broken", Namespace: "shop", Error: "image pull failed" },
    ]);
    const { findings, meta } = parseTrivy(r);
    expect(findings[0]?.resource.image).toBe("docker.io/library/postgres:16.2");
    expect(meta).toMatchObject({ resourceErrors: 1 });
  });
});
