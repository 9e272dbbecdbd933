import type { FindingDraft } from "@bulwark/schema";
import { Entries, type KeepOpen } from "../tolerance.js";
import { type Parser, ReportParseError } from "../types.js";
import { expectRec, isRec, optArr, optStr, type Rec } from "../util.js";
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

/**
 * The report objects. A Kubernetes List (`kind: List` or `…List`) may be empty: trivy-operator installed with
 * no report yet (or none left) is the genuinely empty scan. An empty bare array or `{items: []}` without a
 * List kind says nothing about trivy-operator and is refused, as is `{}`.
 */
function itemsOf(report: unknown): { items: readonly unknown[]; base: string; format: string } {
  if (Array.isArray(report)) {
    if (report.length === 0)
      throw new ReportParseError("$", "an empty array is not a trivy-operator report (send an empty List)");
    return { items: report, base: "$", format: "array" };
  }
  if (!isRec(report))
    throw new ReportParseError("$", "expected a Kubernetes List or a trivy-operator report");
  const kind = optStr(report, "kind", "$");
  const listKind = kind === "List" || kind?.endsWith("List") === true;
  if ("items" in report || listKind) {
    if (!Array.isArray(report.items)) throw new ReportParseError("$.items", "expected an array");
    if (report.items.length === 0 && !listKind)
      throw new ReportParseError(
        "$.kind",
        "an empty item list must say it is a Kubernetes List (kind: List)",
      );
    return { items: report.items, base: "$.items", format: "list" };
  }
  if (!kind) throw new ReportParseError("$.kind", "expected a Kubernetes List or a trivy-operator report");
  return { items: [report], base: "", format: "object" };
}

interface Walk {
  findings: FindingDraft[];
  kinds: Record<string, number>;
  counts: { vulnerabilities: number; failedChecks: number; secrets: number };
  compliance: Compliance[];
  entries: Entries;
}

function walkItem(raw: unknown, at: string, w: Walk): void {
  if (!isRec(raw)) {
    w.entries.skip(at, "expected an object", {});
    return;
  }
  const kind = typeof raw.kind === "string" ? raw.kind : null;
  const known = kind ? KINDS.get(kind) : undefined;
  if (!kind || !known) {
    // an object of another kind cannot hold trivy-operator findings; one without a kind might have
    w.entries.skip(
      `${at}.kind`,
      `expected a trivy-operator report kind, got ${JSON.stringify(kind ?? raw.kind ?? null)}`,
      kind ? null : {},
    );
    return;
  }
  const meta = isRec(raw.metadata) ? raw.metadata : {};
  const ns = typeof meta.namespace === "string" && !known.clusterScoped ? { namespace: meta.namespace } : {};
  // compliance evidence and inventories are not findings: skipping one keeps nothing open
  const findingFamily = known.family !== "compliance" && known.family !== "ignored";
  w.entries.entry(findingFamily ? ns : null, () => walkKnown(raw, at, kind, known, w));
}

function walkKnown(
  item: Rec,
  at: string,
  kind: string,
  known: { family: Family; clusterScoped: boolean },
  w: Walk,
): void {
  w.kinds[kind] = (w.kinds[kind] ?? 0) + 1;
  if (known.family === "ignored") return;
  if (known.family === "compliance") {
    w.compliance.push(complianceOf(item, at));
    return;
  }
  const report = expectRec(item.report, `${at}.report`);
  const rat = `${at}.report`;
  const { resource } = reportTarget(item.metadata, `${at}.metadata`, known.clusterScoped);
  const keep: KeepOpen = { kind: resource.kind, namespace: resource.namespace, name: resource.name };
  if (known.family === "vulns") {
    const scoped = { ...resource, image: imageOf(report, rat) };
    const vulns = optArr(report.vulnerabilities, `${rat}.vulnerabilities`);
    for (let i = 0; i < vulns.length; i++) {
      const d = w.entries.entry(keep, () =>
        vulnerabilityDraft(vulns[i], `${rat}.vulnerabilities[${i}]`, scoped),
      );
      if (d) {
        w.findings.push(d);
        w.counts.vulnerabilities++;
      }
    }
  } else if (known.family === "secrets") {
    const scoped = { ...resource, image: imageOf(report, rat) };
    const secrets = optArr(report.secrets, `${rat}.secrets`);
    for (let i = 0; i < secrets.length; i++) {
      const d = w.entries.entry(keep, () => secretDraft(secrets[i], `${rat}.secrets[${i}]`, scoped));
      if (d) {
        w.findings.push(d);
        w.counts.secrets++;
      }
    }
  } else {
    const checks = optArr(report.checks, `${rat}.checks`);
    for (let i = 0; i < checks.length; i++) {
      const n = w.entries.entry(keep, () =>
        checkDrafts(checks[i], `${rat}.checks[${i}]`, resource, w.findings),
      );
      w.counts.failedChecks += n ?? 0;
    }
    const n = w.entries.entry(keep, () => starboardChecks(report, rat, resource, w.findings));
    w.counts.failedChecks += n ?? 0;
  }
}

export const parseTrivyOperator: Parser = (report) => {
  const { items, base, format } = itemsOf(report);
  const w: Walk = {
    findings: [],
    kinds: {},
    counts: { vulnerabilities: 0, failedChecks: 0, secrets: 0 },
    compliance: [],
    entries: new Entries(),
  };
  for (let i = 0; i < items.length; i++) walkItem(items[i], base ? `${base}[${i}]` : "$", w);
  const skipped = w.entries.finish("items");
  const meta: Record<string, unknown> = { format, kinds: w.kinds, counts: w.counts };
  if (w.compliance.length > 0) meta.compliance = w.compliance;
  return { findings: w.findings, meta, ...(skipped ? { skipped } : {}) };
};
