import type { FindingDraft, ManifestEntry, Source } from "@bulwark/schema";
import type { Skipped } from "./tolerance.js";

export interface ParseContext {
  source: Source;
  collectedAt: Date;
  /** the envelope's manifest, when the uploader sent one: kinds it could not read are unknown, not empty */
  manifest?: ManifestEntry[];
}

export interface ParseResult {
  /** one draft per finding the tool reported (duplicates by fingerprint are merged later, by the writer) */
  findings: FindingDraft[];
  /** facts about the report worth keeping on the report (tool version, format detected, …) */
  meta?: Record<string, unknown>;
  /**
   * Rules this report could not evaluate because an input was unreadable (not merely absent): their earlier
   * findings are neither confirmed nor resolved by this snapshot.
   */
  unevaluatedRuleIds?: string[];
  /**
   * Entries skipped because a required field was missing or malformed: shown with the report as `warnings`,
   * and whatever they might have matched is kept open (never resolved by this snapshot).
   */
  skipped?: Skipped;
}

export type Parser = (report: unknown, ctx: ParseContext) => ParseResult;

/**
 * The report does not match any shape the tool has shipped. `path` names the first offending JSON path
 * (e.g. `$.Results[3].Vulnerabilities[0].VulnerabilityID`) so the error a tenant reads is actionable.
 */
export class ReportParseError extends Error {
  constructor(
    public readonly path: string,
    public readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = "ReportParseError";
  }
}
