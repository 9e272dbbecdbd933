import { describe, expect, it } from "vitest";
import { check, compliance, configAudit, secretReport, vulnReport } from "../fixtures/trivy-operator.js";
import { firstProblem, fp, parseWith } from "./helpers.js";

const parse = (r: unknown) => parseWith("trivy-operator", r);
const list = (...items: unknown[]) => ({ apiVersion: "v1", kind: "List", items });

describe("trivy-operator shapes", () => {
  it("accepts a List, a …List kind, a bare array and a single object", () => {
    const a = parse(list(vulnReport("ReplicaSet", "web-7d4b9c8f5d", "nginx")));
    const b = parse({
      kind: "VulnerabilityReportList",
      items: [vulnReport("ReplicaSet", "web-7d4b9c8f5d", "nginx")],
    });
    const c = parse([vulnReport("ReplicaSet", "web-7d4b9c8f5d", "nginx")]);
    const d = parse(vulnReport("ReplicaSet", "web-7d4b9c8f5d", "nginx"));
    for (const r of [a, b, c, d]) expect(r.findings).toHaveLength(1);
    expect(d.meta?.format).toBe("object");
  });

  it("names the workload by its owner and keeps the container and image", () => {
    const [f] = parse(vulnReport("ReplicaSet", "web-7d4b9c8f5d", "nginx")).findings;
    expect(f?.resource).toEqual({
      kind: "Deployment",
      namespace: "shop",
      name: "web",
      container: "nginx",
      image: "index.docker.io/library/nginx:1.25",
    });
    expect(f?.taxonomy.strategy).toBe("INT-VULN");
    expect(f?.severity).toBe("high");
  });

  it("turns only success:false checks into findings, one per container named in the messages", () => {
    const r = parse(
      configAudit("ReplicaSet", "web-7d4b9c8f5d", [
        check("KSV012", false, [
          "Container 'app' of ReplicaSet 'web-7d4b9c8f5d' should set 'securityContext.runAsNonRoot' to true",
          "Container 'istio-init' of ReplicaSet 'web-7d4b9c8f5d' should set 'securityContext.runAsNonRoot' to true",
        ]),
        check("KSV011", true, []),
        check("KSV-0110", false, ["ReplicaSet 'web' should not be in the default namespace"], "LOW"),
      ]),
    );
    expect(r.findings.map((f) => [f.ruleId, f.resource.container])).toEqual([
      ["KSV-0012", "app"],
      ["KSV-0012", "istio-init"],
      ["KSV-0110", null],
    ]);
    expect(r.findings[0]?.taxonomy).toMatchObject({ strategy: "LP-CTR", mapped: true });
    expect(r.findings[2]?.severity).toBe("low");
  });

  it("reads RBAC, infra and cluster-scoped reports; unknown check ids fall back by family", () => {
    const r = parse(
      list(
        configAudit("Role", "proxy", [check("KSV113", false, [])], "RbacAssessmentReport"),
        configAudit("ClusterRole", "admin", [check("KSV041", false, [])], "ClusterRbacAssessmentReport"),
        configAudit("Pod", "kube-apiserver-node1", [check("KCV0001", false, [])], "InfraAssessmentReport"),
        configAudit("Deployment", "web", [check("KSV9999", false, [])]),
      ),
    );
    expect(
      r.findings.map((f) => [f.ruleId, f.resource.kind, f.resource.namespace, f.taxonomy.mapped]),
    ).toEqual([
      ["KSV-0113", "Role", "shop", true],
      ["KSV-0041", "ClusterRole", null, true],
      ["KCV-0001", "Pod", "shop", true],
      ["KSV-9999", "Deployment", "shop", false],
    ]);
  });

  it("keeps exposed secrets as INT-SECRET findings", () => {
    const [f] = parse(secretReport()).findings;
    expect(f).toMatchObject({ ruleId: "aws-secret-access-key", severity: "critical" });
    expect(f?.taxonomy.strategy).toBe("INT-SECRET");
    expect(f?.resource).toMatchObject({ kind: "Deployment", name: "api", container: "api" });
  });

  it("keeps a ClusterComplianceReport as evidence in meta, not as findings", () => {
    const r = parse(list(compliance()));
    expect(r.findings).toEqual([]);
    const [c] = (r.meta?.compliance ?? []) as {
      id: string;
      controls: { id: string; status: string; checks: unknown[] }[];
    }[];
    expect(c?.id).toBe("cis");
    expect(c?.controls.map((x) => [x.id, x.status])).toEqual([
      ["5.1.2", "fail"],
      ["5.1.3", "pass"],
      ["5.7.1", "manual"],
    ]);
    expect(c?.controls[0]?.checks).toEqual([
      { checkID: "KSV-0041", target: "/clusterrole-admin", success: false },
      { checkID: "KSV-0041", target: "/clusterrole-view", success: true },
    ]);
  });

  it("accepts the summary compliance shape", () => {
    const rep = compliance();
    const summary = {
      ...rep,
      status: { summaryReport: { id: "cis", controlCheck: [{ id: "5.1.2", totalFail: 3 }] } },
    };
    const [c] = (parse(summary).meta?.compliance ?? []) as {
      controls: { status: string; failCount: number }[];
    }[];
    expect(c?.controls).toMatchObject([{ status: "fail", failCount: 3 }]);
  });
});

describe("trivy-operator identity", () => {
  it("is the same for one Deployment seen through two ReplicaSets and two image tags", () => {
    const a = parse(vulnReport("ReplicaSet", "web-7d4b9c8f5d", "nginx", "1.25"));
    const b = parse(vulnReport("ReplicaSet", "web-5f6c7d8b9x", "nginx", "1.26"));
    const c = parse(vulnReport("Pod", "web-5f6c7d8b9x-bq7zp", "nginx", "1.26"));
    expect(fp("trivy-operator", b.findings)).toEqual(fp("trivy-operator", a.findings));
    expect(fp("trivy-operator", c.findings)).toEqual(fp("trivy-operator", a.findings));
  });

  it("differs for the same CVE in two containers", () => {
    const r = parse(
      list(
        vulnReport("ReplicaSet", "web-7d4b9c8f5d", "nginx"),
        vulnReport("ReplicaSet", "web-7d4b9c8f5d", "sidecar"),
      ),
    );
    expect(r.findings).toHaveLength(2);
    expect(new Set(fp("trivy-operator", r.findings)).size).toBe(2);
  });
});

describe("trivy-operator errors", () => {
  it.each([
    [42, "$"],
    [{ kind: "List", items: {} }, "$.items"],
    [{ kind: "List", items: [{ kind: "Pod" }] }, "$.items[0].kind"],
    [{ kind: "List", items: [{ kind: "VulnerabilityReport", metadata: {} }] }, "$.items[0].report"],
    [
      { kind: "List", items: [configAudit("Pod", "x", [{ checkID: "KSV001", success: "no" }])] },
      "$.items[0].report.checks[0].success",
    ],
    [
      { kind: "List", items: [configAudit("Pod", "x", [{ success: false }])] },
      "$.items[0].report.checks[0].checkID",
    ],
  ])("refuses or skips %j at %s", (report, path) => {
    expect(firstProblem(() => parse(report))).toMatch(
      new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `),
    );
  });
});
