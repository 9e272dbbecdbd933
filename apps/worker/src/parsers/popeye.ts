import {
  type FindingDraft,
  type FindingResource,
  popeyeCodeMapping,
  popeyeFallbackStrategy,
  type Severity,
} from "@bulwark/schema";
import { resolveOwner } from "./owner.js";
import { place } from "./taxonomy.js";
import { Entries } from "./tolerance.js";
import { type Parser, ReportParseError } from "./types.js";
import { expectRec, isRec, optArr, optNum, optStr, type Rec } from "./util.js";

/**
 * `popeye -o json` (`{popeye: {...}}`): v0.20+ `sections[]{linter, gvr, tally, issues}`, ≤0.11
 * `sanitizers[]{sanitizer, …}`. `issues` maps "<ns>/<name>" or "<name>" to `[{group, gvr, level, message}]`;
 * group `__root__` is the resource itself, anything else a container. One draft per issue with level > 0.
 */

/**
 * Popeye's levels: 3 Error → high, 2 Warning → medium, 1 Info → info, 0 OK → no finding. Error stays below
 * critical: Popeye's errors are mostly broken references and unhealthy pods, not exploitable weaknesses.
 */
export function popeyeSeverity(level: number): Severity | null {
  if (level >= 3) return "high";
  if (level === 2) return "medium";
  if (level === 1) return "info";
  return null;
}

// resource plural (gvr's last segment, v0.20+ linter names) and 2019 short names → Kind
const KIND = new Map<string, string>([
  ["pods", "Pod"],
  ["po", "Pod"],
  ["deployments", "Deployment"],
  ["dp", "Deployment"],
  ["statefulsets", "StatefulSet"],
  ["sts", "StatefulSet"],
  ["daemonsets", "DaemonSet"],
  ["ds", "DaemonSet"],
  ["replicasets", "ReplicaSet"],
  ["rs", "ReplicaSet"],
  ["jobs", "Job"],
  ["cronjobs", "CronJob"],
  ["cj", "CronJob"],
  ["services", "Service"],
  ["svc", "Service"],
  ["serviceaccounts", "ServiceAccount"],
  ["sa", "ServiceAccount"],
  ["configmaps", "ConfigMap"],
  ["cm", "ConfigMap"],
  ["secrets", "Secret"],
  ["sec", "Secret"],
  ["namespaces", "Namespace"],
  ["ns", "Namespace"],
  ["nodes", "Node"],
  ["no", "Node"],
  ["persistentvolumes", "PersistentVolume"],
  ["pv", "PersistentVolume"],
  ["persistentvolumeclaims", "PersistentVolumeClaim"],
  ["pvc", "PersistentVolumeClaim"],
  ["horizontalpodautoscalers", "HorizontalPodAutoscaler"],
  ["hpa", "HorizontalPodAutoscaler"],
  ["poddisruptionbudgets", "PodDisruptionBudget"],
  ["pdb", "PodDisruptionBudget"],
  ["podsecuritypolicies", "PodSecurityPolicy"],
  ["psp", "PodSecurityPolicy"],
  ["ingresses", "Ingress"],
  ["ing", "Ingress"],
  ["networkpolicies", "NetworkPolicy"],
  ["np", "NetworkPolicy"],
  ["roles", "Role"],
  ["ro", "Role"],
  ["rolebindings", "RoleBinding"],
  ["rb", "RoleBinding"],
  ["clusterroles", "ClusterRole"],
  ["cr", "ClusterRole"],
  ["clusterrolebindings", "ClusterRoleBinding"],
  ["crb", "ClusterRoleBinding"],
  ["gatewayclasses", "GatewayClass"],
  ["gateways", "Gateway"],
  ["httproutes", "HTTPRoute"],
  ["cluster", "Cluster"],
]);

function kindOf(linter: string | null, gvr: string | null): string | null {
  const resource = gvr ? gvr.slice(gvr.lastIndexOf("/") + 1) : null;
  return (resource && KIND.get(resource)) ?? (linter && KIND.get(linter)) ?? resource ?? linter;
}

/** `[POP-106] No resources …` → `POP-106`; older Popeye messages carry no code. */
function codeOf(message: string): { code: string | null; number: number | null } {
  if (!message.startsWith("[POP-")) return { code: null, number: null };
  const end = message.indexOf("]", 5);
  if (end < 6) return { code: null, number: null };
  const n = Number(message.slice(5, end));
  return Number.isInteger(n) ? { code: `POP-${n}`, number: n } : { code: null, number: null };
}

interface SectionContext {
  linter: string | null;
  gvr: string | null;
  kind: string | null;
}

function resourceOf(key: string, s: SectionContext): FindingResource {
  const slash = key.indexOf("/");
  const namespace = slash >= 0 ? key.slice(0, slash) : null;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  // pods, replica sets and jobs carry generated suffixes: name them by their Deployment / CronJob
  const owner = s.kind && name ? resolveOwner({ kind: s.kind, name }) : null;
  return {
    kind: owner?.kind ?? s.kind,
    namespace: namespace || null,
    name: owner?.name ?? (name || null),
    container: null,
    image: null,
  };
}

function issueDraft(raw: unknown, at: string, base: FindingResource, s: SectionContext): FindingDraft | null {
  const i = expectRec(raw, at);
  const level = optNum(i, "level", at);
  if (level === null) throw new ReportParseError(`${at}.level`, "expected a number");
  const severity = popeyeSeverity(level);
  if (severity === null) return null;
  const message = optStr(i, "message", at) ?? "";
  const group = optStr(i, "group", at);
  const { code, number } = codeOf(message);
  const ruleId = code ?? `popeye:${s.linter ?? "unknown"}`;
  const placed = place(
    code ? popeyeCodeMapping(code, s.linter) : undefined,
    popeyeFallbackStrategy(number, s.linter),
  );
  const text = code ? message.slice(message.indexOf("]") + 1).trim() : message;
  const details: Record<string, unknown> = {
    level,
    linter: s.linter,
    gvr: optStr(i, "gvr", at) ?? s.gvr,
    message,
  };
  if (placed.also) details.also = placed.also;
  return {
    ruleId,
    title: text || ruleId,
    severity,
    resource: { ...base, container: group && group !== "__root__" ? group : null },
    taxonomy: placed.taxonomy,
    remediation: null,
    references: [],
    details,
    // a code-less message is its own rule: the text tells two of them apart
    identity: code ? [] : [text],
  };
}

function walkSection(raw: unknown, at: string, nameKey: string, out: FindingDraft[], entries: Entries): void {
  entries.entry({}, () => walkSectionOf(expectRec(raw, at), at, nameKey, out, entries));
}

function walkSectionOf(sec: Rec, at: string, nameKey: string, out: FindingDraft[], entries: Entries): void {
  const linter = optStr(sec, nameKey, at) ?? optStr(sec, "linter", at) ?? optStr(sec, "sanitizer", at);
  const gvr = optStr(sec, "gvr", at);
  const s: SectionContext = { linter, gvr, kind: kindOf(linter, gvr) };
  const issues = sec.issues;
  if (issues === undefined || issues === null) return;
  if (!isRec(issues)) throw new ReportParseError(`${at}.issues`, "expected an object");
  for (const [key, raw] of Object.entries(issues)) {
    const lat = `${at}.issues[${JSON.stringify(key)}]`;
    const list = optArr(raw, lat);
    if (list.length === 0) continue;
    const base = resourceOf(key, s);
    const keep = { kind: base.kind, namespace: base.namespace, name: base.name };
    for (let k = 0; k < list.length; k++) {
      const d = entries.entry(keep, () => issueDraft(list[k], `${lat}[${k}]`, base, s));
      if (d) out.push(d);
    }
  }
}

export const parsePopeye: Parser = (report) => {
  if (!isRec(report)) throw new ReportParseError("$", "expected a Popeye JSON report (an object)");
  // the wrapper is `popeye`; a report already unwrapped is accepted as well
  const root: Rec = isRec(report.popeye) ? report.popeye : report;
  const at = isRec(report.popeye) ? "$.popeye" : "$";
  const key = Array.isArray(root.sections)
    ? "sections"
    : Array.isArray(root.sanitizers)
      ? "sanitizers"
      : null;
  if (!key) throw new ReportParseError(`${at}.sections`, "expected an array (or `sanitizers` before v0.20)");
  const sections = root[key] as readonly unknown[];
  const nameKey = key === "sections" ? "linter" : "sanitizer";
  const findings: FindingDraft[] = [];
  const entries = new Entries();
  for (let i = 0; i < sections.length; i++)
    walkSection(sections[i], `${at}.${key}[${i}]`, nameKey, findings, entries);
  const skipped = entries.finish("entries");
  return {
    ...(skipped ? { skipped } : {}),
    findings,
    meta: {
      format: key,
      score: typeof root.score === "number" ? root.score : null,
      grade: typeof root.grade === "string" ? root.grade : null,
      reportTime: typeof root.report_time === "string" ? root.report_time : null,
      sections: sections.length,
    },
  };
};
