import {
  type FindingDraft,
  type FindingResource,
  polarisCategoryStrategy,
  polarisCheckMapping,
  type Severity,
} from "@bulwark/schema";
import { resolveOwner } from "./owner.js";
import { capStrings, place } from "./taxonomy.js";
import { type Parser, ReportParseError } from "./types.js";
import { expectRec, isRec, optArr, optBool, optStr, type Rec } from "./util.js";

/**
 * `polaris audit --format json`: every check at workload (`Results`), pod (`PodResult.Results`) and container
 * (`PodResult.ContainerResults[].Results`) level. A finding is `Success: false`. The Jan-2020 1.0 output named
 * the sets `Messages`; a set is a map `{checkID: ResultMessage}` (an array in the earliest releases).
 */
type Level = "workload" | "pod" | "container";

/**
 * danger → high and warning → medium (FORMATS.md §4); `error` is the pre-May-2020 name of danger.
 * `ignore` yields no finding: it is the tenant's own Polaris configuration switching the check off, and
 * Polaris itself leaves such checks out of its score.
 */
export function polarisSeverity(s: string | null): Severity | null {
  switch (s) {
    case "danger":
    case "error":
      return "high";
    case "warning":
      return "medium";
    case "ignore":
      return null;
    default:
      // an unknown or missing severity on a failing check is still worth a look
      return "low";
  }
}

const MAX_DETAILS = 10;

function resultSet(parent: Rec, at: string): { entries: [string, unknown][]; at: string } {
  const key = parent.Results !== undefined && parent.Results !== null ? "Results" : "Messages";
  const set = parent[key];
  const sat = `${at}.${key}`;
  if (set === undefined || set === null) return { entries: [], at: sat };
  if (Array.isArray(set)) return { entries: set.map((m, i) => [`[${i}]`, m]), at: sat };
  if (!isRec(set)) throw new ReportParseError(sat, "expected an object of check results");
  return { entries: Object.entries(set), at: sat };
}

function walkSet(parent: Rec, at: string, level: Level, resource: FindingResource, out: FindingDraft[]) {
  const { entries, at: sat } = resultSet(parent, at);
  for (const [key, raw] of entries) {
    const mat = key.startsWith("[") ? `${sat}${key}` : `${sat}.${key}`;
    const m = expectRec(raw, mat);
    // 0.x messages carried `Type: success|warning|error` instead of Success + Severity
    const type = optStr(m, "Type", mat);
    const success = optBool(m, "Success", mat) ?? (type !== null ? type === "success" : null);
    if (success === null) throw new ReportParseError(`${mat}.Success`, "expected a boolean");
    if (success) continue;
    const toolSeverity = optStr(m, "Severity", mat) ?? type;
    const severity = polarisSeverity(toolSeverity);
    if (severity === null) continue;
    const id = optStr(m, "ID", mat) || (key.startsWith("[") ? null : key);
    if (!id) throw new ReportParseError(`${mat}.ID`, "expected a non-empty string");
    const category = optStr(m, "Category", mat);
    const message = optStr(m, "Message", mat);
    const placed = place(polarisCheckMapping(id), polarisCategoryStrategy(category));
    const extra = Array.isArray(m.Details) ? m.Details.filter((d): d is string => typeof d === "string") : [];
    const details: Record<string, unknown> = { category, toolSeverity, message, level };
    if (extra.length > 0) details.details = capStrings(extra, MAX_DETAILS);
    if (placed.also) details.also = placed.also;
    out.push({
      ruleId: id,
      title: message || id,
      severity,
      resource: { ...resource },
      taxonomy: placed.taxonomy,
      remediation: null,
      references: [],
      details,
      identity: [],
    });
  }
}

function walkWorkload(raw: unknown, at: string, out: FindingDraft[]): void {
  const r = expectRec(raw, at);
  const kind = optStr(r, "Kind", at);
  const name = optStr(r, "Name", at);
  const namespace = optStr(r, "Namespace", at);
  const owner = kind && name ? resolveOwner({ kind, name }) : null;
  const resource: FindingResource = {
    kind: owner?.kind ?? kind,
    namespace: namespace || null,
    name: owner?.name ?? (name || null),
    container: null,
    image: null,
  };
  walkSet(r, at, "workload", resource, out);
  const pod = r.PodResult;
  // null for kinds without a pod template (PDB, Ingress, RBAC objects)
  if (pod === undefined || pod === null) return;
  const pat = `${at}.PodResult`;
  const p = expectRec(pod, pat);
  walkSet(p, pat, "pod", resource, out);
  const containers = optArr(p.ContainerResults, `${pat}.ContainerResults`);
  for (let i = 0; i < containers.length; i++) {
    const cat = `${pat}.ContainerResults[${i}]`;
    const c = expectRec(containers[i], cat);
    walkSet(c, cat, "container", { ...resource, container: optStr(c, "Name", cat) || null }, out);
  }
}

export const parsePolaris: Parser = (report) => {
  if (!isRec(report)) throw new ReportParseError("$", "expected a Polaris audit report (an object)");
  if (report.NamespacedResults !== undefined || report.ClusterSummary !== undefined) {
    throw new ReportParseError("$.NamespacedResults", "the 2019 Polaris 0.x report shape is not supported");
  }
  if (!("Results" in report) && !("PolarisOutputVersion" in report)) {
    throw new ReportParseError("$.Results", "expected an array of audited resources");
  }
  const results = optArr(report.Results, "$.Results");
  const findings: FindingDraft[] = [];
  for (let i = 0; i < results.length; i++) walkWorkload(results[i], `$.Results[${i}]`, findings);
  return {
    findings,
    meta: {
      outputVersion: optStr(report, "PolarisOutputVersion", "$"),
      sourceType: optStr(report, "SourceType", "$"),
      sourceName: optStr(report, "SourceName", "$"),
      score: typeof report.Score === "number" ? report.Score : null,
      workloads: results.length,
    },
  };
};
