/** Per-report outcome counts (contract §2: GET /v1/reports/{id} `stats`). */
export interface ReportStats {
  findings: number;
  new: number;
  unchanged: number;
  resolved: number;
  reopened: number;
}
