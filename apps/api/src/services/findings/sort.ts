import type { FindingRow } from "@bulwark/insights";
import { type SQL, sql } from "drizzle-orm";

export const SORT_KEYS = [
  "severity",
  "-severity",
  "lastSeenAt",
  "-lastSeenAt",
  "firstSeenAt",
  "-firstSeenAt",
  "ruleId",
  "-ruleId",
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

type CursorValue = string | number;

interface SortColumn {
  /** the column, also the name it has in the select list (FINDING_COLUMNS) */
  name: string;
  expr: SQL;
  /** the cast a cursor value needs to compare with the column */
  cast: SQL;
  desc: boolean;
  /**
   * The NULLS placement that lets Postgres walk the matching index forwards or backwards (every column here
   * is NOT NULL, so it never changes the result; but a mismatch makes the planner sort the whole set).
   */
  nullsFirst: boolean;
  value(row: FindingRow): CursorValue;
}

const col = (
  name: string,
  cast: SQL,
  desc: boolean,
  nullsFirst: boolean,
  value: (row: FindingRow) => CursorValue,
): SortColumn => ({ name, expr: sql.raw(`f.${name}`), cast, desc, nullsFirst, value });

const int = sql`int`;
const ts = sql`timestamptz`;
const text = sql`text`;
const rank = (r: FindingRow) => r.severity_rank;
const lastSeen = (r: FindingRow) => r.last_seen_key;
const firstSeen = (r: FindingRow) => r.first_seen_key;
const id = (r: FindingRow) => r.id;
const rule = (r: FindingRow) => r.rule_id;

/**
 * Each sort's columns, ending with the id so the order is total (keyset paging needs that). The default,
 * `severity`, is the contract's order: most severe, then most recently seen. A leading `-` reverses every
 * column, so `-severity` is least severe, then least recently seen.
 */
export const SORTS: Record<SortKey, SortColumn[]> = {
  severity: [
    col("severity_rank", int, false, false, rank),
    col("last_seen_at", ts, true, false, lastSeen),
    col("id", text, true, false, id),
  ],
  "-severity": [
    col("severity_rank", int, true, true, rank),
    col("last_seen_at", ts, false, true, lastSeen),
    col("id", text, false, true, id),
  ],
  lastSeenAt: [col("last_seen_at", ts, false, false, lastSeen), col("id", text, false, false, id)],
  "-lastSeenAt": [col("last_seen_at", ts, true, true, lastSeen), col("id", text, true, true, id)],
  firstSeenAt: [col("first_seen_at", ts, false, false, firstSeen), col("id", text, false, false, id)],
  "-firstSeenAt": [col("first_seen_at", ts, true, true, firstSeen), col("id", text, true, true, id)],
  ruleId: [col("rule_id", text, false, false, rule), col("id", text, false, false, id)],
  "-ruleId": [col("rule_id", text, true, true, rule), col("id", text, true, true, id)],
};

/** The ORDER BY of a sort, on `findings f`, or with `alias` on the output columns of a subquery. */
export function orderBy(key: SortKey, alias = "f"): SQL {
  return sql.join(
    SORTS[key].map(
      (c) =>
        sql`${sql.raw(`${alias}.${c.name}`)} ${sql.raw(c.desc ? "desc" : "asc")} ${sql.raw(c.nullsFirst ? "nulls first" : "nulls last")}`,
    ),
    sql`, `,
  );
}

/**
 * Rows strictly after `values` in the sort's order, as disjoint ranges: equal on the first i columns and past
 * the value on column i. Each is one contiguous range of the sort's index (an index condition, where the single
 * OR of them is only a filter: Postgres would read the index from the start and skip rows up to the cursor, so
 * a page 200,000 rows deep read 200,000 rows). Columns may mix directions, so a row comparison cannot do it.
 */
export function afterRanges(key: SortKey, values: readonly CursorValue[]): SQL[] {
  const cols = SORTS[key];
  return cols.map((c, i) => {
    const eqs = cols.slice(0, i).map((p, j) => sql`${p.expr} = ${values[j]}::${p.cast}`);
    const cmp = sql`${c.expr} ${sql.raw(c.desc ? "<" : ">")} ${values[i]}::${c.cast}`;
    return sql.join([...eqs, cmp], sql` and `);
  });
}

export function cursorValues(key: SortKey, row: FindingRow): CursorValue[] {
  return SORTS[key].map((c) => c.value(row));
}
