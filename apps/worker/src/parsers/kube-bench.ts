import {
  type FindingDraft,
  kubeBenchMapping,
  type Severity,
  type Taxonomy,
  taxonomyFor,
} from "@bulwark/schema";
import { Entries } from "./tolerance.js";
import { type Parser, ReportParseError } from "./types.js";
import { expectRec, isRec, optArr, optBool, optStr, type Rec, reqStr } from "./util.js";

/**
 * `kube-bench run --json`: `{Controls[], Totals}` (v0.5+) or the older top-level array of controls.
 * A finding is a result with status FAIL or WARN; PASS and INFO are not findings. Go field names without
 * JSON tags (`AuditEnv`, `AuditConfig`, `IsMultiple`) are case-sensitive and ignored.
 */

// The benchmark target a control ran against; the report never names the node itself.
// A Map, not an object literal: node_type is report data and must not reach Object.prototype keys.
const KIND_BY_NODE_TYPE = new Map<string, string>([
  ["master", "ControlPlane"],
  ["controlplane", "ControlPlane"],
  ["etcd", "Etcd"],
  ["node", "Node"],
  ["policies", "Cluster"],
  ["managedservices", "ManagedServices"],
]);

const STATUSES = new Set(["PASS", "FAIL", "WARN", "INFO"]);

/**
 * kube-bench has no severity, only status and `scored`. A scored FAIL breaks an automated benchmark
 * recommendation (high); an unscored FAIL is advisory (medium). WARN means kube-bench could not decide:
 * scored → low (an automated check that needs a look), unscored or manual → info (a review item, which is
 * what nearly all CIS 5.x checks are).
 */
export function kubeBenchSeverity(status: "FAIL" | "WARN", scored: boolean, type: string | null): Severity {
  if (status === "FAIL") return scored ? "high" : "medium";
  return scored && type !== "manual" ? "low" : "info";
}

function taxonomyOf(benchmark: string | null, testNumber: string, text: string) {
  const row = kubeBenchMapping(benchmark, testNumber, text);
  if (row)
    return { taxonomy: taxonomyFor(row.strategy, row.nist, true), also: row.also ?? null, rule: row.id };
  // no rule matched the wording: platform baseline, listed as a mapping gap
  const taxonomy: Taxonomy = taxonomyFor("PLAT-CIS", undefined, false);
  return { taxonomy, also: null, rule: null };
}

interface ControlContext {
  benchmark: string | null;
  nodeType: string | null;
  kind: string | null;
  detectedVersion: string | null;
}

function resultDraft(r: Rec, at: string, section: string | null, c: ControlContext): FindingDraft | null {
  const status = reqStr(r, "status", at);
  if (!STATUSES.has(status)) throw new ReportParseError(`${at}.status`, "expected PASS, FAIL, WARN or INFO");
  if (status !== "FAIL" && status !== "WARN") return null;
  const testNumber = reqStr(r, "test_number", at);
  const desc = reqStr(r, "test_desc", at);
  const scored = optBool(r, "scored", at) ?? false;
  const type = optStr(r, "type", at);
  const { taxonomy, also, rule } = taxonomyOf(c.benchmark, testNumber, desc);
  const details: Record<string, unknown> = {
    benchmark: c.benchmark,
    nodeType: c.nodeType,
    section,
    status,
    scored,
    type,
    audit: optStr(r, "audit", at),
    expected_result: optStr(r, "expected_result", at),
    actual_value: optStr(r, "actual_value", at),
    reason: optStr(r, "reason", at),
    detectedVersion: c.detectedVersion,
  };
  if (rule) details.mappingRule = rule;
  if (also) details.also = also;
  return {
    ruleId: testNumber,
    title: desc,
    severity: kubeBenchSeverity(status, scored, type),
    resource: { kind: c.kind, namespace: null, name: null, container: null, image: null },
    taxonomy,
    remediation: optStr(r, "remediation", at),
    references: [],
    details,
    // a test number only means something within one benchmark version (CIS renumbers between versions)
    identity: [c.benchmark, c.nodeType],
  };
}

function walkControl(raw: unknown, at: string, out: FindingDraft[], w: WalkState): void {
  if (!isRec(raw)) {
    w.entries.skip(at, "expected an object", {});
    return;
  }
  const control = raw;
  const nodeType = typeof control.node_type === "string" ? control.node_type : null;
  const kind = nodeType ? (KIND_BY_NODE_TYPE.get(nodeType) ?? nodeType) : null;
  // a control without a readable id or tests may have held any check of its target
  w.entries.entry(nodeType ? { kind } : {}, () => {
    reqStr(control, "id", at);
    optStr(control, "node_type", at);
    if (!("tests" in control)) throw new ReportParseError(`${at}.tests`, "expected an array");
    const benchmark = optStr(control, "version", at);
    if (benchmark) w.benchmarks.add(benchmark);
    const ctx: ControlContext = {
      benchmark,
      nodeType,
      kind,
      detectedVersion: optStr(control, "detected_version", at),
    };
    const tests = optArr(control.tests, `${at}.tests`);
    for (let j = 0; j < tests.length; j++) {
      const tat = `${at}.tests[${j}]`;
      w.entries.entry({ kind }, () => {
        const group = expectRec(tests[j], tat);
        const section = optStr(group, "section", tat);
        const results = optArr(group.results, `${tat}.results`);
        for (let k = 0; k < results.length; k++) {
          const rat = `${tat}.results[${k}]`;
          const r = results[k];
          const id = isRec(r) && typeof r.test_number === "string" ? r.test_number : undefined;
          const draft = w.entries.entry(id ? { ruleId: id, kind } : { kind }, () =>
            resultDraft(expectRec(r, rat), rat, section, ctx),
          );
          if (draft) out.push(draft);
        }
      });
    }
  });
}

interface WalkState {
  entries: Entries;
  benchmarks: Set<string>;
}

export const parseKubeBench: Parser = (report) => {
  let controls: readonly unknown[];
  let base: string;
  let totals: unknown = null;
  if (Array.isArray(report)) {
    controls = report;
    base = "$";
  } else if (isRec(report)) {
    // kube-bench ≥ 0.5 always writes Controls (null when nothing ran: Go's nil slice); `{}` is no kube-bench run
    if (!("Controls" in report)) throw new ReportParseError("$.Controls", "expected an array");
    if (report.Controls !== null && !Array.isArray(report.Controls))
      throw new ReportParseError("$.Controls", "expected an array");
    controls = report.Controls ?? [];
    base = "$.Controls";
    totals = isRec(report.Totals) ? report.Totals : null;
  } else {
    throw new ReportParseError(
      "$",
      "expected a kube-bench JSON report (an object with Controls or an array)",
    );
  }
  if (Array.isArray(report) && controls.length === 0) {
    throw new ReportParseError(
      "$",
      "an empty array is not a kube-bench report (an empty run is {Controls: []})",
    );
  }
  const findings: FindingDraft[] = [];
  const w: WalkState = { entries: new Entries(), benchmarks: new Set<string>() };
  const benchmarks = w.benchmarks;
  for (let i = 0; i < controls.length; i++) walkControl(controls[i], `${base}[${i}]`, findings, w);
  const skipped = w.entries.finish("entries");
  return {
    ...(skipped ? { skipped } : {}),
    findings,
    meta: {
      format: Array.isArray(report) ? "legacy-array" : "controls",
      benchmarks: [...benchmarks],
      totals,
      counts: {
        fail: findings.filter((f) => f.details.status === "FAIL").length,
        warn: findings.filter((f) => f.details.status === "WARN").length,
      },
    },
  };
};
