import type { FindingDraft } from "@bulwark/schema";
import { type Parser, ReportParseError } from "../types.js";
import { expectRec, isRec, optArr, optStr } from "../util.js";
import { type Compliance, complianceOf } from "./compliance.js";
import { checkDrafts, secretDraft, starboardChecks, vulnerabilityDraft } from "./findings.js";
import { imageOf, reportTarget } from "./target.js";

/**
 * trivy-operator (and Starboard) report objects, `aquasecurity.github.io/v1alpha1`: a Kubernetes List
 * (`{items}`, `kind: List` or `…List`), a bare array of objects, or one object. YAML output reaches the
 * parser already decoded. One draft per vulnerability, per failing check (per container it names) and per
 * exposed secret; ClusterComplianceReports become `meta.compliance`, never findings.
 */
type Family = "vulns" | "checks" | "secrets" | "compliance" | "ignored";

const KINDS = new Map<string, { family: Family; clusterScoped: boolean }>([
  ["VulnerabilityReport", { family: "vulns", clusterScoped: false }],
  ["ClusterVulnerabilityReport", { family: "vulns", clusterScoped: true }],
  ["ConfigAuditReport", { family: "checks", clusterScoped: false }],
  ["ClusterConfigAuditReport", { family: "checks", clusterScoped: true }],
  ["RbacAssessmentReport", { family: "checks", clusterScoped: false }],
  ["ClusterRbacAssessmentReport", { family: "checks", clusterScoped: true }],
  ["InfraAssessmentReport", { family: "checks", clusterScoped: false }],
  ["ClusterInfraAssessmentReport", { family: "checks", clusterScoped: true }],
  ["ExposedSecretReport", { family: "secrets", clusterScoped: false }],
  ["ClusterComplianceReport", { family: "compliance", clusterScoped: true }],
  // inventories and Starboard-era reports of other tools (they have their own sources): nothing to normalise
  ["SbomReport", { family: "ignored", clusterScoped: false }],
  ["ClusterSbomReport", { family: "ignored", clusterScoped: true }],
  ["CISKubeBenchReport", { family: "ignored", clusterScoped: true }],
  ["KubeHunterReport", { family: "ignored", clusterScoped: true }],
]);

function itemsOf(report: unknown): { items: readonly unknown[]; base: string; format: string } {
  if (Array.isArray(report)) return { items: report, base: "$", format: "array" };
  if (!isRec(report))
    throw new ReportParseError("$", "expected a Kubernetes List or a trivy-operator report");
  const kind = optStr(report, "kind", "$");
  if ("items" in report || kind === "List" || kind?.endsWith("List")) {
    if (!Array.isArray(report.items)) throw new ReportParseError("$.items", "expected an array");
    return { items: report.items, base: "$.items", format: "list" };
  }
  return { items: [report], base: "", format: "object" };
}

interface Walk {
  findings: FindingDraft[];
  kinds: Record<string, number>;
  counts: { vulnerabilities: number; failedChecks: number; secrets: number };
  compliance: Compliance[];
}

function walkItem(raw: unknown, at: string, w: Walk): void {
  const item = expectRec(raw, at);
  const kind = optStr(item, "kind", at);
  const known = kind ? KINDS.get(kind) : undefined;
  if (!kind || !known) {
    throw new ReportParseError(
      `${at}.kind`,
      `expected a trivy-operator report kind, got ${JSON.stringify(kind)}`,
    );
  }
  w.kinds[kind] = (w.kinds[kind] ?? 0) + 1;
  if (known.family === "ignored") return;
  if (known.family === "compliance") {
    w.compliance.push(complianceOf(item, at));
    return;
  }
  const report = expectRec(item.report, `${at}.report`);
  const rat = `${at}.report`;
  const { resource } = reportTarget(item.metadata, `${at}.metadata`, known.clusterScoped);
  if (known.family === "vulns") {
    const scoped = { ...resource, image: imageOf(report, rat) };
    const vulns = optArr(report.vulnerabilities, `${rat}.vulnerabilities`);
    for (let i = 0; i < vulns.length; i++)
      w.findings.push(vulnerabilityDraft(vulns[i], `${rat}.vulnerabilities[${i}]`, scoped));
    w.counts.vulnerabilities += vulns.length;
  } else if (known.family === "secrets") {
    const scoped = { ...resource, image: imageOf(report, rat) };
    const secrets = optArr(report.secrets, `${rat}.secrets`);
    for (let i = 0; i < secrets.length; i++)
      w.findings.push(secretDraft(secrets[i], `${rat}.secrets[${i}]`, scoped));
    w.counts.secrets += secrets.length;
  } else {
    const checks = optArr(report.checks, `${rat}.checks`);
    for (let i = 0; i < checks.length; i++)
      w.counts.failedChecks += checkDrafts(checks[i], `${rat}.checks[${i}]`, resource, w.findings);
    w.counts.failedChecks += starboardChecks(report, rat, resource, w.findings);
  }
}

export const parseTrivyOperator: Parser = (report) => {
  const { items, base, format } = itemsOf(report);
  const w: Walk = {
    findings: [],
    kinds: {},
    counts: { vulnerabilities: 0, failedChecks: 0, secrets: 0 },
    compliance: [],
  };
  for (let i = 0; i < items.length; i++) walkItem(items[i], base ? `${base}[${i}]` : "$", w);
  const meta: Record<string, unknown> = { format, kinds: w.kinds, counts: w.counts };
  if (w.compliance.length > 0) meta.compliance = w.compliance;
  return { findings: w.findings, meta };
};
