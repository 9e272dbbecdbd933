import {
  type FindingDraft,
  type FindingResource,
  fromTrivySeverity,
  type Severity,
  taxonomyFor,
  trivyCheckMapping,
  trivyFamilyStrategy,
} from "@bulwark/schema";
import { containerOfMessage, place } from "../taxonomy.js";
import { normalizeCheckId } from "../trivy/check-id.js";
import { ReportParseError } from "../types.js";
import {
  collectReferences,
  expectRec,
  isRec,
  optArr,
  optNum,
  optStr,
  optStrArr,
  type Rec,
  reqStr,
  versionless,
} from "../util.js";

const VULN_TAXONOMY = taxonomyFor("INT-VULN");
const SECRET_TAXONOMY = taxonomyFor("INT-SECRET");
const MAX_MATCH = 200;
const MAX_MESSAGES = 10;

/** trivy-operator speaks Trivy's vocabulary; Starboard's Polaris-backed audits said danger/warning. */
export function checkSeverity(s: string | null): Severity {
  if (s === "danger") return "high";
  if (s === "warning") return "medium";
  return fromTrivySeverity(s);
}

/** One `report.vulnerabilities[]` entry → one draft (INT-VULN) on the report's workload and container. */
export function vulnerabilityDraft(raw: unknown, at: string, resource: FindingResource): FindingDraft {
  const v = expectRec(raw, at);
  const id = reqStr(v, "vulnerabilityID", at);
  const pkg = reqStr(v, "resource", at);
  const installed = optStr(v, "installedVersion", at);
  const fixed = optStr(v, "fixedVersion", at);
  const toolSeverity = optStr(v, "severity", at);
  const cls = optStr(v, "class", at);
  const target = optStr(v, "target", at);
  const pkgPath = optStr(v, "packagePath", at) ?? optStr(v, "pkgPath", at);
  // os-pkgs targets are "<image>:<tag> (<distro>)" and never identity; a lang-pkgs target is the lockfile
  const where = pkgPath ?? (cls === "lang-pkgs" ? target : null);
  return {
    ruleId: id,
    title: optStr(v, "title", at) || `${id} in ${pkg}`,
    severity: fromTrivySeverity(toolSeverity),
    resource: { ...resource },
    taxonomy: { ...VULN_TAXONOMY, nist: [...VULN_TAXONOMY.nist] },
    remediation: fixed ? `Upgrade ${pkg} to ${fixed}` : null,
    references: collectReferences(optStr(v, "primaryLink", at), optStrArr(v, "links", at)),
    details: {
      toolSeverity,
      installedVersion: installed,
      fixedVersion: fixed,
      score: optNum(v, "score", at),
      target: target || null,
      class: cls,
      packageType: optStr(v, "packageType", at),
      pkgPath,
      publishedDate: optStr(v, "publishedDate", at),
    },
    // the class is left out: reports of operators before 0.40 do not carry it, and an upgrade of the
    // operator must not reopen every vulnerability under a new fingerprint
    identity: [pkg, versionless(where, installed)],
  };
}

function checkBase(c: Rec, at: string) {
  const rawId = reqStr(c, "checkID", at);
  const ruleId = normalizeCheckId(rawId);
  const toolSeverity = optStr(c, "severity", at);
  const placed = place(trivyCheckMapping(ruleId), trivyFamilyStrategy(ruleId));
  const scope = isRec(c.scope) ? { type: c.scope.type ?? null, value: c.scope.value ?? null } : null;
  return { rawId, ruleId, toolSeverity, placed, scope };
}

/**
 * One failing `report.checks[]` entry → one draft per container its messages name (`Container 'x' of …`),
 * or one draft without container when no message names one. Splitting lets a check that fires on both the
 * app container and `istio-init` keep the app finding while the mesh fold takes the sidecar one.
 * Passing checks (success: true) are not findings. Starboard's `podChecks[]` / `containerChecks{}` entries
 * have the same fields with a single `message`.
 */
export function checkDrafts(
  raw: unknown,
  at: string,
  resource: FindingResource,
  out: FindingDraft[],
): number {
  const c = expectRec(raw, at);
  const success = c.success;
  if (typeof success !== "boolean") throw new ReportParseError(`${at}.success`, "expected a boolean");
  if (success) return 0;
  const { rawId, ruleId, toolSeverity, placed, scope } = checkBase(c, at);
  const messages = optStrArr(c, "messages", at);
  const single = optStr(c, "message", at);
  const all = single ? [...messages, single] : messages;
  // group messages by container; a report with a container label (Starboard per-container checks) keeps it
  const groups = new Map<string | null, string[]>();
  for (const m of all) {
    const container = containerOfMessage(m) ?? resource.container;
    const list = groups.get(container);
    if (list) list.push(m);
    else groups.set(container, [m]);
  }
  if (groups.size === 0) groups.set(resource.container, []);
  for (const [container, msgs] of groups) {
    const details: Record<string, unknown> = {
      toolSeverity,
      rawId,
      category: optStr(c, "category", at),
      messages: msgs.slice(0, MAX_MESSAGES),
    };
    if (scope) details.scope = scope;
    if (placed.also) details.also = placed.also;
    out.push({
      ruleId,
      title: optStr(c, "title", at) || ruleId,
      severity: checkSeverity(toolSeverity),
      resource: { ...resource, container },
      taxonomy: { ...placed.taxonomy, nist: [...placed.taxonomy.nist] },
      remediation: optStr(c, "remediation", at),
      references: [],
      details,
      identity: [],
    });
  }
  return groups.size;
}

/** One `report.secrets[]` entry → one draft (INT-SECRET); `match` is already masked by the operator. */
export function secretDraft(raw: unknown, at: string, resource: FindingResource): FindingDraft {
  const s = expectRec(raw, at);
  const ruleId = reqStr(s, "ruleID", at);
  const toolSeverity = optStr(s, "severity", at);
  const match = optStr(s, "match", at);
  const target = optStr(s, "target", at);
  return {
    ruleId,
    title: optStr(s, "title", at) || ruleId,
    severity: fromTrivySeverity(toolSeverity),
    resource: { ...resource },
    taxonomy: { ...SECRET_TAXONOMY, nist: [...SECRET_TAXONOMY.nist] },
    remediation: "Remove the secret from the image (and its history) and rotate it.",
    references: [],
    details: {
      toolSeverity,
      category: optStr(s, "category", at),
      match: match && match.length > MAX_MATCH ? `${match.slice(0, MAX_MATCH)}…` : match,
      target,
    },
    identity: [target, match],
  };
}

/** Starboard ConfigAuditReport: `podChecks[]` and `containerChecks{container: [...]}` beside `checks[]`. */
export function starboardChecks(
  report: Rec,
  at: string,
  resource: FindingResource,
  out: FindingDraft[],
): number {
  let n = 0;
  const pod = optArr(report.podChecks, `${at}.podChecks`);
  for (let i = 0; i < pod.length; i++) n += checkDrafts(pod[i], `${at}.podChecks[${i}]`, resource, out);
  const byContainer = report.containerChecks;
  if (byContainer === undefined || byContainer === null) return n;
  if (!isRec(byContainer)) throw new ReportParseError(`${at}.containerChecks`, "expected an object");
  for (const [container, list] of Object.entries(byContainer)) {
    const lat = `${at}.containerChecks.${container}`;
    const checks = optArr(list, lat);
    for (let i = 0; i < checks.length; i++)
      n += checkDrafts(checks[i], `${lat}[${i}]`, { ...resource, container }, out);
  }
  return n;
}
