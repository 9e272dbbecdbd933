import type { FindingRow } from "@bulwark/insights";

/** The CSV columns, in order. */
export const CSV_COLUMNS = [
  "id",
  "cluster",
  "source",
  "ruleId",
  "title",
  "severity",
  "status",
  "category",
  "strategy",
  "nist",
  "namespace",
  "kind",
  "name",
  "container",
  "image",
  "firstSeenAt",
  "lastSeenAt",
  "resolvedAt",
  "fingerprint",
  "remediation",
  "references",
] as const;

/**
 * One CSV cell: a value a spreadsheet would run as a formula (starting with =, +, -, @, or a tab or carriage
 * return that hides one) gets a leading apostrophe (OWASP's CSV-injection advice), then RFC 4180 quoting when
 * it holds a comma, a quote or a line break.
 */
export function csvCell(value: string | null | undefined): string {
  let v = value ?? "";
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export function csvRow(cells: readonly (string | null | undefined)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

export function csvHeader(): string {
  return csvRow(CSV_COLUMNS);
}

export function findingCsv(f: FindingRow): string {
  return csvRow([
    f.id,
    f.cluster_name,
    f.source,
    f.rule_id,
    f.title,
    f.severity,
    f.status,
    f.category,
    f.strategy,
    f.nist.join(" "),
    f.resource_namespace,
    f.resource_kind,
    f.resource_name,
    f.resource_container,
    f.resource_image,
    f.first_seen_at.toISOString(),
    f.last_seen_at.toISOString(),
    f.resolved_at?.toISOString() ?? null,
    f.fingerprint,
    f.remediation,
    f.references.join(" "),
  ]);
}
