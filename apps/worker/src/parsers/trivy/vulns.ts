import { type FindingDraft, fromTrivySeverity, taxonomyFor } from "@bulwark/schema";
import { collectReferences, expectRec, optStr, optStrArr, reqStr, versionless } from "../util.js";
import type { ResultContext } from "./context.js";
import { bestCvss } from "./cvss.js";

const VULN_TAXONOMY = taxonomyFor("INT-VULN");

/** One `Vulnerabilities[]` entry → one draft (INT-VULN). */
export function vulnerabilityDraft(raw: unknown, at: string, rc: ResultContext): FindingDraft {
  const v = expectRec(raw, at);
  const id = reqStr(v, "VulnerabilityID", at);
  const pkg = reqStr(v, "PkgName", at);
  const pkgPath = optStr(v, "PkgPath", at);
  const installed = optStr(v, "InstalledVersion", at);
  const fixed = optStr(v, "FixedVersion", at);
  const toolSeverity = optStr(v, "Severity", at);
  const severitySource = optStr(v, "SeveritySource", at);
  const title = optStr(v, "Title", at);
  const references = collectReferences(optStr(v, "PrimaryURL", at), optStrArr(v, "References", at));
  const cwe = optStrArr(v, "CweIDs", at);

  // os-pkgs: the Target is "<image>:<tag> (<distro>)" and must never enter identity (it holds the tag);
  // lang-pkgs: the lockfile / binary path tells two copies of one package apart
  const where = pkgPath ?? (rc.cls === "lang-pkgs" ? rc.target : null);
  const details: Record<string, unknown> = {
    toolSeverity,
    installedVersion: installed,
    fixedVersion: fixed,
    status: optStr(v, "Status", at),
    pkgPath,
    target: rc.target,
    class: rc.cls,
    type: rc.type,
    publishedDate: optStr(v, "PublishedDate", at),
    cvss: bestCvss(v.CVSS, severitySource, `${at}.CVSS`),
    cwe: cwe.length > 0 ? cwe : null,
  };
  if (rc.meshImage) details.meshImage = rc.meshImage;

  return {
    ruleId: id,
    title: title ?? `${id} in ${pkg}`,
    severity: fromTrivySeverity(toolSeverity),
    resource: { ...rc.resource },
    taxonomy: { ...VULN_TAXONOMY, nist: [...VULN_TAXONOMY.nist] },
    remediation: fixed ? `Upgrade ${pkg} to ${fixed}` : null,
    references,
    details,
    identity: [pkg, versionless(where, installed), rc.cls ?? rc.type],
  };
}
