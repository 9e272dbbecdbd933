import {
  type FindingDraft,
  fromTrivySeverity,
  taxonomyFor,
  trivyCheckMapping,
  trivyFamilyStrategy,
} from "@bulwark/schema";
import { ReportParseError } from "../types.js";
import { collectReferences, expectRec, isRec, optNum, optStr, optStrArr, reqStr } from "../util.js";
import { normalizeCheckId } from "./check-id.js";
import type { ResultContext } from "./context.js";

/** `Container 'istio-proxy' of Deployment 'web' should …`: the container a workload check is about. */
const CONTAINER = /^Container '([^']+)' of /;

/** Misconfigurations that are findings: Status FAIL, or no Status (older trivy only listed failures). */
export function isFailure(raw: unknown, at: string): boolean {
  const m = expectRec(raw, at);
  const status = optStr(m, "Status", at);
  if (status === null || status === "FAIL") return true;
  if (status === "PASS" || status === "EXCEPTION") return false;
  throw new ReportParseError(`${at}.Status`, "expected PASS, FAIL or EXCEPTION");
}

function taxonomyOf(ruleId: string) {
  const row = trivyCheckMapping(ruleId);
  if (row) return { taxonomy: taxonomyFor(row.strategy, row.nist, true), also: row.also ?? null };
  // no row: placed by the check family (KSV/DS → LP-CTR, KCV/cloud → PLAT-CIS) and listed as a gap
  return { taxonomy: taxonomyFor(trivyFamilyStrategy(ruleId), undefined, false), also: null };
}

/** One failing `Misconfigurations[]` entry → one draft, mapped through the Trivy table by normalised id. */
export function misconfigurationDraft(raw: unknown, at: string, rc: ResultContext): FindingDraft {
  const m = expectRec(raw, at);
  const rawId = reqStr(m, "ID", at);
  const avdId = optStr(m, "AVDID", at);
  // the AVDID is canonical where present: trivy ≤0.68 ships IDs that disagree with it
  // (KSV0012 for AVD-KCV-0012, AVD-KSV-0110 for AVD-KSV-01010); v0.69+ drops AVDID and fixes the IDs
  const ruleId = normalizeCheckId(avdId ?? rawId);
  const message = optStr(m, "Message", at);
  const toolSeverity = optStr(m, "Severity", at);
  const cause = m.CauseMetadata;
  let startLine: number | null = null;
  let endLine: number | null = null;
  let causeResource: string | null = null;
  if (cause !== undefined && cause !== null) {
    if (!isRec(cause)) throw new ReportParseError(`${at}.CauseMetadata`, "expected an object");
    const cat = `${at}.CauseMetadata`;
    startLine = optNum(cause, "StartLine", cat);
    endLine = optNum(cause, "EndLine", cat);
    causeResource = optStr(cause, "Resource", cat);
  }
  const container = message ? (CONTAINER.exec(message)?.[1] ?? null) : null;
  const { taxonomy, also } = taxonomyOf(ruleId);

  const details: Record<string, unknown> = {
    toolSeverity,
    message,
    rawId,
    avdId,
    checkType: optStr(m, "Type", at),
    target: rc.target,
    startLine,
    endLine,
  };
  if (causeResource) details.causeResource = causeResource;
  if (also) details.also = also;

  return {
    ruleId,
    title: optStr(m, "Title", at) ?? ruleId,
    severity: fromTrivySeverity(toolSeverity),
    resource: { ...rc.resource, container },
    taxonomy,
    remediation: optStr(m, "Resolution", at),
    references: collectReferences(optStr(m, "PrimaryURL", at), optStrArr(m, "References", at)),
    details,
    // a cluster object is named by its owner already; a file scan needs the file (and the IaC resource
    // address, e.g. `module.x`) — line numbers move with every edit and stay out
    identity: rc.k8s ? [] : [rc.target, causeResource],
  };
}
