import type { ManifestEntry, ReportStats, ReportWarnings, Scope } from "@bulwark/schema";

/** A report as the tenant API returns it (contract §2), before JSON serialisation. */
export interface ReportView {
  id: string;
  clusterId: string;
  source: string;
  status: string;
  receivedAt: Date;
  collectedAt: Date;
  processedAt: Date | null;
  error: string | null;
  stats: ReportStats | null;
  scope: Scope | null;
  runId: string | null;
  tool: { name: string; version?: string } | null;
  supersededBy: string | null;
  warnings: ReportWarnings | null;
  /** only on a single report: what the uploader could and could not read */
  manifest?: ManifestEntry[] | null;
}

export interface ReportRow {
  id: string;
  cluster_id: string;
  source: string;
  status: string;
  received_at: Date;
  received_key: string;
  collected_at: Date;
  processed_at: Date | null;
  error: string | null;
  stats: ReportStats | null;
  scope: Scope | null;
  run_id: string | null;
  tool: { name: string; version?: string } | null;
  superseded_by: string | null;
  warnings: ReportWarnings | null;
  manifest?: ManifestEntry[] | null;
}

export const REPORT_COLUMNS = `r.id, r.cluster_id, r.source, r.status, r.received_at,
  to_char(r.received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as received_key,
  r.collected_at, r.processed_at, r.error, r.stats, r.scope, r.run_id, r.tool, r.superseded_by, r.warnings`;

export function toReportView(r: ReportRow): ReportView {
  return {
    id: r.id,
    clusterId: r.cluster_id,
    source: r.source,
    status: r.status,
    receivedAt: r.received_at,
    collectedAt: r.collected_at,
    processedAt: r.processed_at,
    error: r.error,
    stats: r.stats,
    scope: r.scope,
    runId: r.run_id,
    tool: r.tool,
    supersededBy: r.superseded_by,
    warnings: r.warnings,
    ...(r.manifest !== undefined ? { manifest: r.manifest } : {}),
  };
}
