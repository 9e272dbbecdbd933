import { normalizeCheckId } from "../trivy/check-id.js";
import { ReportParseError } from "../types.js";
import { expectRec, isRec, optArr, optNum, optStr, type Rec } from "../util.js";

/**
 * ClusterComplianceReport → compliance evidence for ParseResult.meta, never findings. Every control row
 * lists the very checks (KSV/KCV on a target) that the ConfigAudit/RbacAssessment/InfraAssessment reports
 * already turn into findings; a finding per row would count each problem twice under a CIS number.
 * A control that fails with no failing check behind it (a manual control with `defaultStatus: FAIL`, or a
 * summary row) states a policy, not an observation nobody could close by fixing the cluster, so it stays
 * evidence too.
 */
export type ControlStatus = "pass" | "fail" | "manual";

export interface ComplianceCheck {
  checkID: string;
  target: string | null;
  success: boolean;
}

export interface ComplianceControl {
  id: string;
  name: string | null;
  severity: string | null;
  status: ControlStatus;
  /** failing and passing check rows; at most MAX_CHECKS kept, counts always complete */
  checks: ComplianceCheck[];
  failCount: number;
  passCount: number;
}

export interface Compliance {
  id: string | null;
  title: string | null;
  version: string | null;
  reportType: string | null;
  controls: ComplianceControl[];
  summary: { failCount: number | null; passCount: number | null };
}

const MAX_CHECKS = 500;

/** Controls of the spec that name no check: manual review items. */
function manualControls(spec: Rec | null, at: string): Set<string> {
  const manual = new Set<string>();
  const compliance = spec && isRec(spec.compliance) ? spec.compliance : null;
  const controls = compliance ? optArr(compliance.controls, `${at}.compliance.controls`) : [];
  for (const c of controls) {
    if (!isRec(c) || typeof c.id !== "string") continue;
    const checks = Array.isArray(c.checks) ? c.checks : [];
    if (checks.length === 0 || c.defaultStatus !== undefined) manual.add(c.id);
  }
  return manual;
}

function explicitStatus(s: string | null): ControlStatus | null {
  switch ((s ?? "").toUpperCase()) {
    case "PASS":
      return "pass";
    case "FAIL":
      return "fail";
    case "MANUAL":
    case "WARN":
      return "manual";
    default:
      return null;
  }
}

function detailControl(raw: unknown, at: string, manual: Set<string>): ComplianceControl {
  const r = expectRec(raw, at);
  const id = optStr(r, "id", at) ?? "";
  const rows = optArr(r.checks, `${at}.checks`);
  const checks: ComplianceCheck[] = [];
  let failCount = 0;
  let passCount = 0;
  for (let i = 0; i < rows.length; i++) {
    const cat = `${at}.checks[${i}]`;
    const c = expectRec(rows[i], cat);
    const success = c.success;
    if (typeof success !== "boolean") throw new ReportParseError(`${cat}.success`, "expected a boolean");
    const rawId = optStr(c, "checkID", cat) ?? "";
    // `{checkID: "", success: true}` is the operator's placeholder for a check it could not run
    if (rawId === "") continue;
    if (success) passCount++;
    else failCount++;
    if (checks.length < MAX_CHECKS)
      checks.push({ checkID: normalizeCheckId(rawId), target: optStr(c, "target", cat), success });
  }
  const status =
    explicitStatus(optStr(r, "status", at)) ??
    (failCount > 0 ? "fail" : manual.has(id) || (passCount === 0 && rows.length === 0) ? "manual" : "pass");
  return {
    id,
    name: optStr(r, "name", at),
    severity: optStr(r, "severity", at),
    status,
    checks,
    failCount,
    passCount,
  };
}

function summaryControl(raw: unknown, at: string, manual: Set<string>): ComplianceControl {
  const r = expectRec(raw, at);
  const id = optStr(r, "id", at) ?? "";
  const totalFail = optNum(r, "totalFail", at);
  const status: ControlStatus =
    totalFail !== null && totalFail > 0 ? "fail" : manual.has(id) ? "manual" : "pass";
  return {
    id,
    name: optStr(r, "name", at),
    severity: optStr(r, "severity", at),
    status,
    checks: [],
    failCount: totalFail ?? 0,
    passCount: 0,
  };
}

/** `status.detailReport.results[]` (reportType all) or `status.summaryReport.controlCheck[]` (summary). */
export function complianceOf(item: Rec, at: string): Compliance {
  const spec = isRec(item.spec) ? item.spec : null;
  const specCompliance = spec && isRec(spec.compliance) ? spec.compliance : null;
  const manual = manualControls(spec, `${at}.spec`);
  const status =
    item.status === undefined || item.status === null ? {} : expectRec(item.status, `${at}.status`);
  const sat = `${at}.status`;
  const controls: ComplianceControl[] = [];
  let header: Rec | null = specCompliance;
  if (isRec(status.detailReport)) {
    const dr = status.detailReport;
    header = dr;
    const results = optArr(dr.results, `${sat}.detailReport.results`);
    for (let i = 0; i < results.length; i++)
      controls.push(detailControl(results[i], `${sat}.detailReport.results[${i}]`, manual));
  } else if (isRec(status.summaryReport)) {
    const sr = status.summaryReport;
    header = sr;
    const rows = optArr(sr.controlCheck, `${sat}.summaryReport.controlCheck`);
    for (let i = 0; i < rows.length; i++)
      controls.push(summaryControl(rows[i], `${sat}.summaryReport.controlCheck[${i}]`, manual));
  }
  const summary = isRec(status.summary) ? status.summary : {};
  const str = (o: Rec | null, k: string) => (o && typeof o[k] === "string" ? (o[k] as string) : null);
  return {
    id: str(header, "id") ?? str(specCompliance, "id"),
    title: str(header, "title") ?? str(specCompliance, "title"),
    version: str(header, "version") ?? str(specCompliance, "version"),
    reportType: str(spec, "reportType"),
    controls,
    summary: {
      failCount: typeof summary.failCount === "number" ? summary.failCount : null,
      passCount: typeof summary.passCount === "number" ? summary.passCount : null,
    },
  };
}
