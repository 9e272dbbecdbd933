/** Report sources accepted by POST /v1/reports (API contract §1.2). */
export const SOURCES = [
  "trivy",
  "trivy-operator",
  "kube-bench",
  "polaris",
  "popeye",
  "kubescape",
  "kube-hunter",
  "istioctl-analyze",
  "mesh-config",
] as const;
export type Source = (typeof SOURCES)[number];

export const REPORT_STATUSES = ["queued", "processing", "done", "failed"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const FINDING_STATUSES = ["open", "resolved", "suppressed"] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** Status kept in the table: what the latest applied snapshot says. `suppressed` is derived at read time. */
export type SnapshotStatus = "open" | "resolved";

export const TOKEN_SCOPES = ["read", "write", "admin"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
