import type { PoolClient } from "@bulwark/runtime";
import { emptyCounts, type Severity, type SeverityCounts } from "@bulwark/schema";
import { type SQL, sql } from "drizzle-orm";
import { type FindingFilters, filterConditions } from "./findings/filters.js";
import { FINDING_COLUMNS, type FindingRow, SEEN_HEAD_JOIN } from "./findings/select.js";
import { queryRows } from "./query.js";

export const CHANGE_TYPES = ["new", "resolved", "reopened", "suppressed", "unsuppressed"] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

export interface ChangesWindow extends Omit<FindingFilters, "status"> {
  since: string;
  until: string;
  types?: ChangeType[];
  /** only the changes one snapshot caused */
  reportId?: string;
  /**
   * Window on when a change was recorded rather than when it happened (the snapshot's collectedAt):
   * summaries do, so a snapshot applied after a tick but collected before it is in the next summary.
   */
  byRecorded?: boolean;
}

export interface ListChangesInput extends ChangesWindow {
  limit: number;
  after?: { at: string; id: number };
}

export interface ChangeRow extends FindingRow {
  event_id: number;
  event_kind: ChangeType;
  event_at: Date;
  event_at_key: string;
  event_report_id: string | null;
  event_suppression_id: string | null;
}

/** The event conditions of a window (tenant, [since, until), types) on top of the finding filters. */
async function windowConditions(
  client: PoolClient,
  tenantId: string,
  input: ChangesWindow,
): Promise<SQL[] | null> {
  // `since` here is the window's start, not the list filter "first seen at or after": a finding first seen
  // long ago that resolved inside the window is a change of the window
  const { since: _windowStart, ...filters } = input;
  const where = await filterConditions(client, tenantId, filters);
  if (!where) return null;
  where.push(sql`e.tenant_id = ${tenantId}`);
  const at = input.byRecorded ? sql`e.recorded_at` : sql`e.at`;
  where.push(sql`${at} >= ${input.since}::timestamptz and ${at} < ${input.until}::timestamptz`);
  if (input.reportId) where.push(sql`e.report_id = ${input.reportId}`);
  if (input.types && input.types.length > 0) {
    where.push(
      sql`e.kind in (${sql.join(
        input.types.map((t) => sql`${t}`),
        sql`, `,
      )})`,
    );
  }
  return where;
}

const EVENTS_FROM = sql`
  from finding_events e
  join findings f on f.tenant_id = e.tenant_id and f.id = e.finding_id
  join clusters c on c.id = f.cluster_id and c.tenant_id = f.tenant_id ${SEEN_HEAD_JOIN}`;

/**
 * Status changes in [since, until), oldest first, each with the finding as it is now: the single source for
 * digests, webhooks and "what changed" questions. Keyset on (at, event id). Runs on the caller's tenant
 * transaction.
 */
export async function listChangesOn(
  client: PoolClient,
  tenantId: string,
  input: ListChangesInput,
): Promise<{ items: ChangeRow[]; next: { at: string; id: number } | null }> {
  const where = await windowConditions(client, tenantId, input);
  if (!where) return { items: [], next: null };
  if (input.after) {
    where.push(sql`(e.at, e.id) > (${input.after.at}::timestamptz, ${input.after.id}::bigint)`);
  }
  // the page's events first, without the cluster join (with it the planner may start from the tenant's
  // clusters and sort every event it reaches: a minute at 2M findings), then their columns and cluster
  const rows = await queryRows<ChangeRow>(
    client,
    sql`
      select e.id as event_id, e.kind as event_kind, e.at as event_at,
        to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as event_at_key,
        e.report_id as event_report_id, e.suppression_id as event_suppression_id,
        ${FINDING_COLUMNS}
      from (select e.tenant_id, e.id from finding_events e
            join findings f on f.tenant_id = e.tenant_id and f.id = e.finding_id
            where ${sql.join(where, sql` and `)}
            order by e.at asc, e.id asc
            limit ${input.limit + 1}) p
      join finding_events e on e.tenant_id = p.tenant_id and e.id = p.id
      join findings f on f.tenant_id = e.tenant_id and f.id = e.finding_id
      join clusters c on c.id = f.cluster_id and c.tenant_id = f.tenant_id ${SEEN_HEAD_JOIN}
      order by e.at asc, e.id asc`,
  );
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return {
    items,
    next: rows.length > input.limit && last ? { at: last.event_at_key, id: last.event_id } : null,
  };
}

/**
 * The same window counted per change type and severity: what a digest says in one line ("3 new critical").
 * A finding that changed twice in the window counts in both types.
 */
export async function countChangesOn(
  client: PoolClient,
  tenantId: string,
  input: ChangesWindow,
): Promise<Record<ChangeType, SeverityCounts>> {
  const out = Object.fromEntries(CHANGE_TYPES.map((t) => [t, emptyCounts()])) as Record<
    ChangeType,
    SeverityCounts
  >;
  const where = await windowConditions(client, tenantId, input);
  if (!where) return out;
  const rows = await queryRows<{ kind: ChangeType; severity: Severity; n: number }>(
    client,
    sql`select e.kind, f.severity, count(*)::int as n ${EVENTS_FROM}
        where ${sql.join(where, sql` and `)} group by 1, 2`,
  );
  for (const r of rows) out[r.kind][r.severity] += r.n;
  return out;
}
