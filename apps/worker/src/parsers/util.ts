import { ReportParseError } from "./types.js";

/**
 * Small validating readers shared by the parsers. "Missing" and null are the same everywhere (the tools
 * serialise with omitempty). `at` is the JSON path of the object being read, so an error names the first
 * offending path, e.g. `$.Results[2].Vulnerabilities[0].VulnerabilityID: expected a string`.
 */
export type Rec = Record<string, unknown>;

export function isRec(v: unknown): v is Rec {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function expectRec(v: unknown, at: string): Rec {
  if (!isRec(v)) throw new ReportParseError(at, "expected an object");
  return v;
}

/** An optional array: missing/null → empty, anything but an array → error. */
export function optArr(v: unknown, at: string): readonly unknown[] {
  if (v === undefined || v === null) return EMPTY;
  if (!Array.isArray(v)) throw new ReportParseError(at, "expected an array");
  return v;
}
const EMPTY: readonly unknown[] = Object.freeze([]);

export function optStr(o: Rec, key: string, at: string): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") throw new ReportParseError(`${at}.${key}`, "expected a string");
  return v;
}

/** A required, non-empty string (ids, names). */
export function reqStr(o: Rec, key: string, at: string): string {
  const v = o[key];
  if (typeof v !== "string") throw new ReportParseError(`${at}.${key}`, "expected a string");
  if (v.length === 0) throw new ReportParseError(`${at}.${key}`, "expected a non-empty string");
  return v;
}

/** A required string that may be empty (trivy's Target of a stdin scan, ClusterName of a local cluster). */
export function reqStrAllowEmpty(o: Rec, key: string, at: string): string {
  const v = o[key];
  if (typeof v !== "string") throw new ReportParseError(`${at}.${key}`, "expected a string");
  return v;
}

export function optNum(o: Rec, key: string, at: string): number | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "number") throw new ReportParseError(`${at}.${key}`, "expected a number");
  return v;
}

export function optBool(o: Rec, key: string, at: string): boolean | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "boolean") throw new ReportParseError(`${at}.${key}`, "expected a boolean");
  return v;
}

/** An optional array of strings (References, CweIDs); non-string entries are an error. */
export function optStrArr(o: Rec, key: string, at: string): readonly string[] {
  const arr = optArr(o[key], `${at}.${key}`);
  for (let i = 0; i < arr.length; i++) {
    if (typeof arr[i] !== "string") throw new ReportParseError(`${at}.${key}[${i}]`, "expected a string");
  }
  return arr as readonly string[];
}

export const MAX_REFERENCES = 20;

/** The primary URL then the reference list, deduplicated, at most MAX_REFERENCES (stored per finding). */
export function collectReferences(primary: string | null, list: readonly string[]): string[] {
  const out: string[] = [];
  if (primary) out.push(primary);
  for (const r of list) {
    if (out.length >= MAX_REFERENCES) break;
    // linear scan over ≤ 20 entries is cheaper than a Set per finding
    if (r && !out.includes(r)) out.push(r);
  }
  return out;
}

/**
 * A path with the installed version cut out: jar and wheel paths embed it
 * (`…/lib/spring-beans-5.3.15.jar`), and identity must survive an upgrade that leaves the CVE open.
 */
export function versionless(path: string | null, installed: string | null): string | null {
  if (!path || !installed || installed.length < 2) return path;
  return path.includes(installed) ? path.split(installed).join("*") : path;
}
