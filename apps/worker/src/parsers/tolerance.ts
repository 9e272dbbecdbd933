import { ReportParseError } from "./types.js";

/**
 * The findings a skipped entry might have produced, as far as its context tells: every field present must
 * match (null matches null), every field absent matches anything. `{}` is every finding of the source.
 * Open findings that match are neither confirmed nor resolved by the snapshot: an entry the parser could not
 * read proves nothing about them.
 */
export interface KeepOpen {
  ruleId?: string;
  kind?: string | null;
  namespace?: string | null;
  name?: string | null;
  container?: string | null;
  image?: string | null;
}

export interface SkipWarning {
  /** JSON path of the skipped entry's first offending field, e.g. `$.Results[0].Vulnerabilities[3].VulnerabilityID` */
  path: string;
  message: string;
}

/** What the parser skipped: shown with the report (`warnings`) and used to keep findings open. */
export interface Skipped {
  count: number;
  /** the first MAX_WARNINGS, in report order */
  first: SkipWarning[];
  /** deduplicated; [{}] when too many distinct contexts were skipped to list */
  keepOpen: KeepOpen[];
}

export const MAX_WARNINGS = 20;
const MAX_KEEP = 500;

/**
 * Tolerant reading of a report's entries (issue: one malformed vulnerability must not fail a whole scan).
 * Each entry is read inside `entry()`: a ReportParseError skips that entry only, records its path, and keeps
 * open whatever it might have matched. A report whose every entry was skipped has nothing usable and fails
 * (`finish`); so does a document that is not the tool's output at all, rejected before any entry is read.
 */
export class Entries {
  usable = 0;
  private count = 0;
  private readonly first: SkipWarning[] = [];
  private readonly keep = new Map<string, KeepOpen>();

  /** Read one entry. `keep` describes what the entry may have produced, from context read before it. */
  entry<T>(keep: KeepOpen | null, fn: () => T): T | undefined {
    try {
      const out = fn();
      this.usable++;
      return out;
    } catch (e) {
      if (!(e instanceof ReportParseError)) throw e;
      this.skip(e.path, e.detail, keep);
      return undefined;
    }
  }

  /** Record a skipped entry; `keep` null when the entry cannot have produced a finding (an unknown kind). */
  skip(path: string, message: string, keep: KeepOpen | null): void {
    this.count++;
    if (this.first.length < MAX_WARNINGS) this.first.push({ path, message });
    if (keep && this.keep.size <= MAX_KEEP) this.keep.set(JSON.stringify(keep), keep);
  }

  /** Nothing usable: every entry was skipped. Throws the first skip as the report's error. */
  finish(what: string): Skipped | undefined {
    if (this.count === 0) return undefined;
    if (this.usable === 0) {
      const f = this.first[0] as SkipWarning;
      throw new ReportParseError(
        f.path,
        `${f.message} (nothing usable: all ${this.count} ${what} were skipped; is this the right source?)`,
      );
    }
    const keepAll = this.keep.size > MAX_KEEP || this.keep.has("{}");
    return {
      count: this.count,
      first: [...this.first],
      keepOpen: keepAll ? [{}] : [...this.keep.values()],
    };
  }
}
