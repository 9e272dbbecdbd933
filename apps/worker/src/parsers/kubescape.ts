import {
  type FindingDraft,
  type FindingResource,
  kubescapeControlMapping,
  kubescapeFallbackStrategy,
  type Severity,
} from "@bulwark/schema";
import { resolveOwner } from "./owner.js";
import { capString, place } from "./taxonomy.js";
import { Entries } from "./tolerance.js";
import { type Parser, ReportParseError } from "./types.js";
import { expectRec, isRec, optArr, optNum, optStr, type Rec, reqStr } from "./util.js";

/**
 * `kubescape scan --format json` (format v2 and v3): one draft per (control, resource) whose control status is
 * `failed` — `controls[].status.status` in v2/v3, the rules' status in 2022 files without a control status.
 * The resource comes from `resources[]` by resourceID (else from the id itself), named by its owner.
 */

/** Kubescape's scoreFactor (severity weight): ≥9 critical, ≥7 high, ≥4 medium, ≥1 low, else info. */
export function kubescapeSeverity(scoreFactor: number | null): Severity {
  if (scoreFactor === null) return "info";
  if (scoreFactor >= 9) return "critical";
  if (scoreFactor >= 7) return "high";
  if (scoreFactor >= 4) return "medium";
  if (scoreFactor >= 1) return "low";
  return "info";
}

const MAX_PATHS = 10;

interface ControlSummary {
  name: string | null;
  scoreFactor: number | null;
  category: string | null;
}

function summaries(report: Rec): Map<string, ControlSummary> {
  const out = new Map<string, ControlSummary>();
  const sd = report.summaryDetails;
  const controls = isRec(sd) && isRec(sd.controls) ? sd.controls : null;
  if (!controls) return out;
  for (const [id, c] of Object.entries(controls)) {
    if (!isRec(c)) continue;
    const cat = isRec(c.category) ? c.category.name : null;
    out.set(id, {
      name: typeof c.name === "string" ? c.name : null,
      scoreFactor: typeof c.scoreFactor === "number" ? c.scoreFactor : null,
      category: typeof cat === "string" ? cat : null,
    });
  }
  return out;
}

/** `apps/v1/default/Deployment/web`, `path=…/api=apps/v1//Deployment/web`: the last three segments. */
function fromResourceId(id: string): { kind: string | null; namespace: string | null; name: string | null } {
  const parts = id.split("/");
  const n = parts.length;
  return n >= 3
    ? { namespace: parts[n - 3] || null, kind: parts[n - 2] || null, name: parts[n - 1] || null }
    : { namespace: null, kind: null, name: id };
}

interface Resolved {
  resource: FindingResource;
  /** the pod spec, to name the container a failed path points at */
  podSpec: Rec | null;
  sourcePath: string | null;
}

function podSpecOf(obj: Rec): Rec | null {
  const spec = isRec(obj.spec) ? obj.spec : null;
  if (!spec) return null;
  if (Array.isArray(spec.containers)) return spec;
  const tpl = isRec(spec.template) ? spec.template : isRec(spec.jobTemplate) ? spec.jobTemplate : null;
  const inner = tpl && isRec(tpl.spec) ? tpl.spec : null;
  if (inner && Array.isArray(inner.containers)) return inner;
  // CronJob: spec.jobTemplate.spec.template.spec
  const t2 = inner && isRec(inner.template) ? inner.template : null;
  return t2 && isRec(t2.spec) ? t2.spec : null;
}

function resolve(resourceId: string, object: unknown): Resolved {
  const fallback = fromResourceId(resourceId);
  const obj = isRec(object) ? object : null;
  const meta = obj && isRec(obj.metadata) ? obj.metadata : null;
  const str = (o: Rec | null, k: string) => (o && typeof o[k] === "string" && o[k] ? (o[k] as string) : null);
  // RBAC subjects (User/Group) are objects with kind/name/namespace at the top, no metadata
  const kind = str(obj, "kind") ?? fallback.kind;
  const name = str(meta, "name") ?? str(obj, "name") ?? fallback.name;
  const namespace = str(meta, "namespace") ?? str(obj, "namespace") ?? fallback.namespace;
  const refs = meta && Array.isArray(meta.ownerReferences) ? meta.ownerReferences : null;
  const labels = meta && isRec(meta.labels) ? (meta.labels as Record<string, string>) : null;
  const owner = kind && name ? resolveOwner({ kind, name, labels, ownerReferences: refs }) : null;
  return {
    resource: {
      kind: owner?.kind ?? kind,
      namespace,
      name: owner?.name ?? name,
      container: null,
      image: null,
    },
    podSpec: obj ? podSpecOf(obj) : null,
    sourcePath: str(obj, "sourcePath"),
  };
}

// `spec.template.spec.initContainers[0].securityContext…` → initContainers, 0
const CONTAINER_PATH = /(initContainers|ephemeralContainers|containers)\[(\d+)\]/;

function containerAt(path: string, podSpec: Rec | null): string | null {
  if (!podSpec) return null;
  const m = CONTAINER_PATH.exec(path);
  if (!m?.[1] || !m[2]) return null;
  const list = podSpec[m[1]];
  const c = Array.isArray(list) ? list[Number(m[2])] : undefined;
  return isRec(c) && typeof c.name === "string" ? c.name : null;
}

interface Paths {
  failed: string[];
  fix: string[];
  review: string[];
  /** every path points into one container: the finding is about it */
  container: string | null;
}

function collectPaths(rules: readonly unknown[], at: string, podSpec: Rec | null): Paths {
  const p: Paths = { failed: [], fix: [], review: [], container: null };
  const containers = new Set<string | null>();
  const push = (list: string[], s: string) => {
    containers.add(containerAt(s, podSpec));
    if (list.length < MAX_PATHS) list.push(capString(s, 300) as string);
  };
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (!isRec(rule)) throw new ReportParseError(`${at}[${i}]`, "expected an object");
    const paths = optArr(rule.paths, `${at}[${i}].paths`);
    for (const path of paths) {
      if (!isRec(path)) continue;
      if (typeof path.failedPath === "string" && path.failedPath) push(p.failed, path.failedPath);
      if (typeof path.reviewPath === "string" && path.reviewPath) push(p.review, path.reviewPath);
      if (typeof path.deletePath === "string" && path.deletePath) push(p.failed, path.deletePath);
      const fix = path.fixPath;
      if (isRec(fix) && typeof fix.path === "string" && fix.path)
        push(p.fix, `${fix.path}=${typeof fix.value === "string" ? fix.value : JSON.stringify(fix.value)}`);
    }
    // older reports: failedPaths[] / fixPaths[] on the rule
    for (const s of optArr(rule.failedPaths, `${at}[${i}].failedPaths`))
      if (typeof s === "string") push(p.failed, s);
  }
  if (containers.size === 1) p.container = [...containers][0] ?? null;
  return p;
}

function statusOf(control: Rec, at: string): { status: string | null; subStatus: string | null } {
  const s = control.status;
  if (typeof s === "string") return { status: s, subStatus: null };
  if (isRec(s))
    return { status: optStr(s, "status", `${at}.status`), subStatus: optStr(s, "subStatus", `${at}.status`) };
  if (s !== undefined && s !== null) throw new ReportParseError(`${at}.status`, "expected an object");
  // 2022 files: no control status; the control failed when one of its rules did
  const rules = optArr(control.rules, `${at}.rules`);
  const failed = rules.some((r) => isRec(r) && r.status === "failed");
  return { status: failed ? "failed" : null, subStatus: null };
}

function walkResult(
  raw: unknown,
  at: string,
  objects: Map<string, unknown>,
  sums: Map<string, ControlSummary>,
  out: FindingDraft[],
  entries: Entries,
) {
  const r = expectRec(raw, at);
  const resourceId = reqStr(r, "resourceID", at);
  const controls = optArr(r.controls, `${at}.controls`);
  const resolved = resolve(resourceId, objects.get(resourceId));
  const keep = {
    kind: resolved.resource.kind,
    namespace: resolved.resource.namespace,
    name: resolved.resource.name,
  };
  for (let i = 0; i < controls.length; i++) {
    const cat = `${at}.controls[${i}]`;
    const d = entries.entry(keep, () => controlDraft(controls[i], cat, resourceId, resolved, sums));
    if (d) out.push(d);
  }
}

function controlDraft(
  raw: unknown,
  cat: string,
  resourceId: string,
  resolved: Resolved,
  sums: Map<string, ControlSummary>,
): FindingDraft | null {
  const c = expectRec(raw, cat);
  const { status, subStatus } = statusOf(c, cat);
  if (status !== "failed") return null;
  const controlId = reqStr(c, "controlID", cat);
  const sum = sums.get(controlId);
  const name = optStr(c, "name", cat) ?? sum?.name ?? null;
  const placed = place(
    kubescapeControlMapping(controlId, name),
    kubescapeFallbackStrategy(controlId, sum?.category ?? null),
  );
  const paths = collectPaths(optArr(c.rules, `${cat}.rules`), `${cat}.rules`, resolved.podSpec);
  const details: Record<string, unknown> = {
    controlName: name,
    scoreFactor: sum?.scoreFactor ?? null,
    category: sum?.category ?? null,
    subStatus,
    resourceID: resourceId,
    failedPaths: paths.failed,
    fixPaths: paths.fix,
  };
  if (paths.review.length > 0) details.reviewPaths = paths.review;
  if (resolved.sourcePath) details.sourcePath = resolved.sourcePath;
  if (placed.also) details.also = placed.also;
  return {
    ruleId: controlId,
    title: name ?? controlId,
    severity: kubescapeSeverity(sum?.scoreFactor ?? optNum(c, "scoreFactor", cat)),
    resource: { ...resolved.resource, container: paths.container },
    taxonomy: placed.taxonomy,
    remediation: null,
    references: [`https://hub.armosec.io/docs/${controlId.toLowerCase()}`],
    details,
    // a file scan names the manifest: two files may hold objects of the same name
    identity: resolved.sourcePath ? [resolved.sourcePath] : [],
  };
}

export const parseKubescape: Parser = (report) => {
  if (!isRec(report)) throw new ReportParseError("$", "expected a Kubescape JSON report (an object)");
  // kubescape always writes summaryDetails (results and resources are omitted when empty); 2022 files without it
  // still pair results with resources. Anything else is another tool's document.
  const marker =
    isRec(report.summaryDetails) || (Array.isArray(report.results) && Array.isArray(report.resources));
  if (!marker)
    throw new ReportParseError("$.summaryDetails", "expected a Kubescape scan (summaryDetails, results)");
  if (report.results !== undefined && report.results !== null && !Array.isArray(report.results))
    throw new ReportParseError("$.results", "expected an array");
  const entries = new Entries();
  const objects = new Map<string, unknown>();
  const resources = optArr(report.resources, "$.resources");
  for (let i = 0; i < resources.length; i++) {
    const rat = `$.resources[${i}]`;
    entries.entry({}, () => {
      const res = expectRec(resources[i], rat);
      objects.set(reqStr(res, "resourceID", rat), res.object);
    });
  }
  const sums = summaries(report);
  const results = optArr(report.results, "$.results");
  const findings: FindingDraft[] = [];
  for (let i = 0; i < results.length; i++)
    entries.entry({}, () => walkResult(results[i], `$.results[${i}]`, objects, sums, findings, entries));
  const skipped = entries.finish("entries");
  const meta =
    isRec(report.metadata) && isRec(report.metadata.scanMetadata) ? report.metadata.scanMetadata : {};
  return {
    findings,
    ...(skipped ? { skipped } : {}),
    meta: {
      clusterName: optStr(report, "clusterName", "$"),
      kubescapeVersion: typeof meta.kubescapeVersion === "string" ? meta.kubescapeVersion : null,
      formatVersion: typeof meta.formatVersion === "string" ? meta.formatVersion : null,
      resources: resources.length,
      results: results.length,
    },
  };
};
