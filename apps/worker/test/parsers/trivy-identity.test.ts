import { describe, expect, it } from "vitest";
import { normalizeCheckId } from "../../src/parsers/index.js";
import { configReport, imageReport, k8sReport, k8sResource, misconf } from "../fixtures/trivy.js";
import { fp, parseTrivy } from "./helpers.js";

describe("trivy finding identity", () => {
  it("is the same for one workload seen through different ReplicaSets, Pods and image tags", () => {
    const a = parseTrivy(k8sReport([k8sResource("ReplicaSet", "web-7d4b9c8f5d", "docker.io/org/web:1.0")]));
    const b = parseTrivy(k8sReport([k8sResource("ReplicaSet", "web-5f6c7d8b9x", "docker.io/org/web:1.1")]));
    const c = parseTrivy(
      k8sReport([k8sResource("Pod", "web-5f6c7d8b9x-bq7zp", "docker.io/org/web@sha256:ab")]),
    );
    const d = parseTrivy(k8sReport([k8sResource("Deployment", "web", "docker.io/org/web:2.0")]));
    expect(fp("trivy", b.findings)).toEqual(fp("trivy", a.findings));
    expect(fp("trivy", c.findings)).toEqual(fp("trivy", a.findings));
    expect(fp("trivy", d.findings)).toEqual(fp("trivy", a.findings));
  });

  it("is the same for a CronJob's Jobs of different runs", () => {
    const a = parseTrivy(k8sReport([k8sResource("Job", "backup-28512345", "docker.io/org/backup:1")]));
    const b = parseTrivy(k8sReport([k8sResource("Job", "backup-28512400", "docker.io/org/backup:2")]));
    expect(a.findings[0]?.resource).toMatchObject({ kind: "CronJob", name: "backup" });
    expect(fp("trivy", b.findings)).toEqual(fp("trivy", a.findings));
  });

  it("differs for the same CVE in two images, and in two workloads", () => {
    const r = parseTrivy(
      k8sReport([
        k8sResource("Deployment", "web", "docker.io/org/web:1"),
        k8sResource("Deployment", "web", "docker.io/org/sidecar:1"),
        k8sResource("Deployment", "api", "docker.io/org/web:1"),
      ]),
    );
    const cve = r.findings.filter((f) => f.ruleId === "CVE-2024-1000");
    expect(cve).toHaveLength(3);
    expect(new Set(fp("trivy", cve)).size).toBe(3);
  });

  it("differs for the same CVE in two containers of one workload", () => {
    const r = configReport();
    const [first] = r.Results;
    first?.Misconfigurations.push(
      misconf("KSV-0001", {
        Message: "Container 'sidecar' of Deployment 'web' should set 'securityContext.x'",
      }),
    );
    const ksv = parseTrivy(r).findings.filter((f) => f.ruleId === "KSV-0001");
    expect(ksv.map((f) => f.resource.container)).toEqual(["app", "sidecar"]);
    expect(new Set(fp("trivy", ksv)).size).toBe(2);
  });

  it("keeps image tags, installed versions and line numbers out of identity", () => {
    const a = parseTrivy(imageReport("registry.local/team/api:1.2.3"));
    const moved = imageReport("registry.local/team/api:1.3.0");
    for (const res of moved.Results) {
      for (const v of res.Vulnerabilities ?? []) Object.assign(v, { InstalledVersion: "1.0.5" });
      for (const s of res.Secrets ?? []) Object.assign(s, { StartLine: 40, EndLine: 40 });
    }
    // the jar path embeds the installed version: an upgrade that leaves the CVE open keeps the finding
    const spring = moved.Results[1]?.Vulnerabilities?.[0];
    Object.assign(spring ?? {}, { InstalledVersion: "5.3.16", PkgPath: "app/lib/spring-beans-5.3.16.jar" });
    expect(fp("trivy", parseTrivy(moved).findings)).toEqual(fp("trivy", a.findings));
    expect(a.findings[2]?.identity).toEqual([
      "org.springframework:spring-beans",
      "app/lib/spring-beans-*.jar",
      "lang-pkgs",
    ]);
  });

  it("differs for one package in two lockfiles", () => {
    const report = {
      SchemaVersion: 2,
      ArtifactName: ".",
      ArtifactType: "repository",
      Results: ["a/package-lock.json", "b/package-lock.json"].map((Target) => ({
        Target,
        Class: "lang-pkgs",
        Type: "npm",
        Vulnerabilities: [{ VulnerabilityID: "CVE-2020-1", PkgName: "lodash", InstalledVersion: "4.17.15" }],
      })),
    };
    expect(new Set(fp("trivy", parseTrivy(report).findings)).size).toBe(2);
  });
});

describe("trivy check ids", () => {
  it.each([
    ["KSV001", "KSV-0001"],
    ["AVD-KSV-0001", "KSV-0001"],
    ["KSV-0001", "KSV-0001"],
    ["KSV0125", "KSV-0125"],
    ["KSV01010", "KSV-01010"],
    ["AVD-KSV-01010", "KSV-01010"],
    ["KCV0001", "KCV-0001"],
    ["AVD-KCV-0001", "KCV-0001"],
    ["DS002", "DS-0002"],
    ["AVD-DS-0002", "DS-0002"],
    ["DS-0002", "DS-0002"],
    ["AVD-AWS-0086", "AWS-0086"],
    ["my-custom-check", "my-custom-check"],
  ])("%s → %s", (raw, id) => {
    expect(normalizeCheckId(raw)).toBe(id);
  });

  it("gives one ruleId for the aliases Trivy versions emit, preferring the AVDID", () => {
    const results = [
      misconf("KSV001", { AVDID: "AVD-KSV-0001" }),
      misconf("KSV001"),
      misconf("KSV-0001"),
      // trivy ≤0.68 mislabels this KCV check's ID; the AVDID is right
      misconf("KSV0012", { AVDID: "AVD-KCV-0012" }),
    ];
    const report = {
      SchemaVersion: 2,
      ArtifactName: "x",
      Results: [{ Target: "a.yaml", Class: "config", Misconfigurations: results }],
    };
    const ids = parseTrivy(report).findings.map((f) => f.ruleId);
    expect(ids).toEqual(["KSV-0001", "KSV-0001", "KSV-0001", "KCV-0012"]);
  });

  it("maps unknown ids by family with mapped=false", () => {
    const report = {
      SchemaVersion: 2,
      ArtifactName: "x",
      Results: [
        {
          Target: "a.yaml",
          Class: "config",
          Misconfigurations: ["KSV-9999", "KCV-9999", "DS-9999", "AVD-GCP-0001", "KCV-0019"].map((id) =>
            misconf(id),
          ),
        },
      ],
    };
    const tax = parseTrivy(report).findings.map((f) => [f.ruleId, f.taxonomy.strategy, f.taxonomy.mapped]);
    expect(tax).toEqual([
      ["KSV-9999", "LP-CTR", false],
      ["KCV-9999", "PLAT-CIS", false],
      ["DS-9999", "LP-CTR", false],
      ["GCP-0001", "PLAT-CIS", false],
      ["KCV-0019", "MON-LOG", true],
    ]);
  });
});
