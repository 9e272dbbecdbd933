import type { ReportStats } from "@bulwark/schema";
import type { KeepOpen } from "../parsers/tolerance.js";

export interface SnapshotTarget {
  tenantId: string;
  clusterId: string;
  source: string;
  reportId: string;
  collectedAt: Date;
  scopeKey: string;
  /** namespaces the snapshot covers; null with neither of the two below = the whole cluster */
  namespaces: string[] | null;
  /** the cluster-scoped objects (no namespace) are covered too */
  clusterScoped?: boolean;
  /** everything but these namespaces is covered, cluster-scoped objects included (a split's remainder) */
  excludeNamespaces?: string[] | null;
  /**
   * Findings this snapshot must not resolve: rules it could not evaluate (an unreadable input) and what
   * skipped entries might have produced. Each selector's present fields must all match; `{}` keeps all.
   */
  keepOpen?: KeepOpen[];
}

export type ApplyOutcome =
  | { kind: "applied"; stats: ReportStats; timings: { copyMs: number; upsertMs: number; resolveMs: number } }
  | { kind: "superseded"; stats: ReportStats; byReportId: string };
