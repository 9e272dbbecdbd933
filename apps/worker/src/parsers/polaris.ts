import {
  type FindingDraft,
  type FindingResource,
  polarisCategoryStrategy,
  polarisCheckMapping,
  type Severity,
} from "@bulwark/schema";
import { resolveOwner } from "./owner.js";
import { capStrings, place } from "./taxonomy.js";
import { Entries, type KeepOpen } from "./tolerance.js";
import { type Parser, ReportParseError } from "./types.js";
import { expectRec, isRec, optArr, optBool, optStr, type Rec, reqStr } from "./util.js";

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

interface Walk {
  out: FindingDraft[];
  entries: Entries;
}

function walkSet(parent: Rec, at: string, level: Level, resource: FindingResource, w: Walk) {
  const { entries, at: sat } = resultSet(parent, at);
  const keep: KeepOpen = { kind: resource.kind, namespace: resource.namespace, name: resource.name };
  for (const [key, raw] of entries) {
    const mat = key.startsWith("[") ? `${sat}${key}` : `${sat}.${key}`;
    w.entries.entry(keep, () => walkMessage(raw, mat, key, level, resource, w));
  }
}

function walkMessage(
  raw: unknown,
  mat: string,
  key: string,
  level: Level,
  resource: FindingResource,
  w: Walk,
): void {
  const out = w.out;
  const m = expectRec(raw, mat);
  // 0.x messages carried `Type: success|warning|error` instead of Success + Severity
  const type = optStr(m, "Type", mat);
  const success = optBool(m, "Success", mat) ?? (type !== null ? type === "success" : null);
  if (success === null) throw new ReportParseError(`${mat}.Success`, "expected a boolean");
  if (success) return;
  const toolSeverity = optStr(m, "Severity", mat) ?? type;
  const severity = polarisSeverity(toolSeverity);
  if (severity === null) return;
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

function walkWorkload(raw: unknown, at: string, w: Walk): void {
  const ns = isRec(raw) && typeof raw.Namespace === "string" ? raw.Namespace || null : undefined;
  // a workload without a readable Kind and Name may have held any finding of its namespace
  w.entries.entry(ns === undefined ? {} : { namespace: ns }, () => walkWorkloadOf(expectRec(raw, at), at, w));
}

function walkWorkloadOf(r: Rec, at: string, w: Walk): void {
  // Polaris names every audited resource (ResourceResult.Name and .Kind); an entry without them is not Polaris's
  const kind = reqStr(r, "Kind", at);
  const name = reqStr(r, "Name", at);
  const namespace = optStr(r, "Namespace", at);
  const owner = resolveOwner({ kind, name });
  const resource: FindingResource = {
    kind: owner.kind,
    namespace: namespace || null,
    name: owner.name,
    container: null,
    image: null,
  };
  walkSet(r, at, "workload", resource, w);
  const pod = r.PodResult;
  // null for kinds without a pod template (PDB, Ingress, RBAC objects)
  if (pod === undefined || pod === null) return;
  const pat = `${at}.PodResult`;
  const p = expectRec(pod, pat);
  walkSet(p, pat, "pod", resource, w);
  const containers = optArr(p.ContainerResults, `${pat}.ContainerResults`);
  for (let i = 0; i < containers.length; i++) {
    const cat = `${pat}.ContainerResults[${i}]`;
    w.entries.entry({ kind: resource.kind, namespace: resource.namespace, name: resource.name }, () => {
      const c = expectRec(containers[i], cat);
      walkSet(c, cat, "container", { ...resource, container: optStr(c, "Name", cat) || null }, w);
    });
  }
}

export const parsePolaris: Parser = (report) => {
  if (!isRec(report)) throw new ReportParseError("$", "expected a Polaris audit report (an object)");
  if (report.NamespacedResults !== undefined || report.ClusterSummary !== undefined) {
    throw new ReportParseError("$.NamespacedResults", "the 2019 Polaris 0.x report shape is not supported");
  }
  // every Polaris audit names itself (PolarisOutputVersion, AuditTime, SourceType) and lists Results;
  // a document without them (a Trivy report also has Results) is another tool's
  const marker = ["PolarisOutputVersion", "AuditTime", "SourceType"].some(
    (k) => typeof report[k] === "string",
  );
  if (!marker)
    throw new ReportParseError(
      "$.PolarisOutputVersion",
      "expected a Polaris audit (PolarisOutputVersion, AuditTime)",
    );
  if (!("Results" in report))
    throw new ReportParseError("$.Results", "expected an array of audited resources");
  const results = optArr(report.Results, "$.Results");
  const findings: FindingDraft[] = [];
  const w: Walk = { out: findings, entries: new Entries() };
  for (let i = 0; i < results.length; i++) walkWorkload(results[i], `$.Results[${i}]`, w);
  const skipped = w.entries.finish("entries");
  return {
    ...(skipped ? { skipped } : {}),
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
