/** Per-report outcome counts (contract §2: GET /v1/reports/{id} `stats`). */
export interface ReportStats {
  findings: number;
  new: number;
  unchanged: number;
  resolved: number;
  reopened: number;
}

/**
 * What the parser skipped while reading a report that was otherwise usable (GET /v1/reports/{id} `warnings`):
 * an entry without a required field is skipped, not fatal, and findings it might have matched stay open.
 */
export interface ReportWarnings {
  count: number;
  /** the first skipped entries: JSON path of the offending field and what was wrong */
  first: { path: string; message: string }[];
}
