import { ReportParseError } from "../types.js";
import { expectRec, isRec, optNum, optStr, type Rec } from "../util.js";

/** One CVSS score kept per finding instead of Trivy's per-vendor map (details stay small). */
export interface CompactCvss {
  source: string;
  version: string;
  score: number;
  vector: string | null;
}

// vendors whose scores are most often the ones Trivy's own severity came from
const PREFERRED = ["nvd", "ghsa", "redhat"];

function versionOf(vector: string | null, fallback: string): string {
  // "CVSS:3.1/AV:N/…" → "3.1"; v3.0 vectors and v4 vectors carry their version the same way
  if (vector?.startsWith("CVSS:")) {
    const slash = vector.indexOf("/");
    if (slash > 5) return vector.slice(5, slash);
  }
  return fallback;
}

function fromVendor(source: string, entry: Rec, at: string): CompactCvss | null {
  const v4 = optNum(entry, "V40Score", at);
  if (v4 !== null) {
    const vector = optStr(entry, "V40Vector", at);
    return { source, version: versionOf(vector, "4.0"), score: v4, vector };
  }
  const v3 = optNum(entry, "V3Score", at);
  if (v3 !== null) {
    const vector = optStr(entry, "V3Vector", at);
    return { source, version: versionOf(vector, "3"), score: v3, vector };
  }
  return null;
}

/**
 * The best v3/v4 score: the vendor Trivy took the severity from (SeveritySource), then nvd, ghsa, redhat,
 * then any other; within a vendor v4.0 before v3.x. v2-only entries are ignored (obsolete scoring).
 */
export function bestCvss(raw: unknown, severitySource: string | null, at: string): CompactCvss | null {
  if (raw === undefined || raw === null) return null;
  const cvss = expectRec(raw, at);
  const order: string[] = [];
  if (severitySource && Object.hasOwn(cvss, severitySource)) order.push(severitySource);
  for (const p of PREFERRED) if (p !== severitySource && Object.hasOwn(cvss, p)) order.push(p);
  for (const k of Object.keys(cvss)) if (!order.includes(k)) order.push(k);
  for (const source of order) {
    const entry = cvss[source];
    if (entry === null || entry === undefined) continue;
    if (!isRec(entry)) throw new ReportParseError(`${at}.${source}`, "expected an object");
    const best = fromVendor(source, entry, `${at}.${source}`);
    if (best) return best;
  }
  return null;
}
