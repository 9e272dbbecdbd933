import { LAST_SEEN, SUPPRESSED_NOW } from "@bulwark/insights";
import { type SQL, sql } from "drizzle-orm";
import { isoSql } from "./ndjson.js";

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

/**
 * One cell of a row built by Postgres, with the escaping of csvCell: a formula-like start gets an apostrophe,
 * then a value holding a comma, a quote or a line break is quoted with its quotes doubled; NULL is empty.
 * Plain string functions (no regular expressions): they run once per cell of every exported row.
 */
function cellSql(v: SQL): SQL {
  const safe = sql`(case when left(${v}, 1) in ('=', '+', '-', '@', chr(9), chr(13)) then '''' || ${v} else ${v} end)`;
  return sql`(case when ${v} is null then ''
    when strpos(${v}, '"') > 0 or strpos(${v}, ',') > 0 or strpos(${v}, chr(10)) > 0 or strpos(${v}, chr(13)) > 0
      then '"' || replace(${safe}, '"', '""') || '"'
    else ${safe} end)`;
}

const iso = isoSql;

/**
 * The CSV record of a finding (CSV_COLUMNS, CRLF-terminated) as one text column computed by Postgres over the
 * export's FROM (FINDING_FROM): the API passes each batch's records through instead of building a row object
 * per finding and formatting it, which was most of an export's CPU and garbage.
 */
export const CSV_LINE = sql`${sql.join(
  [
    cellSql(sql`f.id`),
    cellSql(sql`c.name`),
    cellSql(sql`f.source`),
    cellSql(sql`f.rule_id`),
    cellSql(sql`f.title`),
    cellSql(sql`f.severity`),
    cellSql(sql`(case when f.status = 'open' and ${SUPPRESSED_NOW} then 'suppressed' else f.status end)`),
    cellSql(sql`f.category`),
    cellSql(sql`f.strategy`),
    cellSql(sql`array_to_string(f.nist, ' ')`),
    cellSql(sql`f.resource_namespace`),
    cellSql(sql`f.resource_kind`),
    cellSql(sql`f.resource_name`),
    cellSql(sql`f.resource_container`),
    cellSql(sql`f.resource_image`),
    iso(sql`f.first_seen_at`),
    iso(LAST_SEEN),
    sql`coalesce(${iso(sql`f.resolved_at`)}, '')`,
    cellSql(sql`f.fingerprint`),
    cellSql(sql`f.remediation`),
    cellSql(sql`array_to_string(f."references", ' ')`),
  ],
  sql` || ',' || `,
)} || chr(13) || chr(10) as csv_line`;
