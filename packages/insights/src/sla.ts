import type { Db, PoolClient } from "@bulwark/runtime";
import { DEFAULT_SLA_DAYS, SLA_SEVERITIES, type SlaDays, tables } from "@bulwark/schema";
import { eq, type SQL, sql } from "drizzle-orm";
import { type FindingFilters, filterConditions } from "./findings/filters.js";
import { FINDING_COLUMNS, FINDING_FROM, type FindingRow } from "./findings/select.js";
import { queryRows } from "./query.js";

export interface SlaPolicy {
  days: SlaDays;
  /** false while the tenant uses the documented defaults */
  custom: boolean;
  updatedAt: Date | null;
}

export async function readSlaPolicy(db: Db, tenantId: string): Promise<SlaPolicy> {
  const rows = await db.select().from(tables.slaPolicies).where(eq(tables.slaPolicies.tenantId, tenantId));
  const row = rows[0];
  return row
    ? { days: row.days, custom: true, updatedAt: row.updatedAt }
    : { days: DEFAULT_SLA_DAYS, custom: false, updatedAt: null };
}

type SlaSeverity = (typeof SLA_SEVERITIES)[number];

export interface SlaInput {
  /** the findings considered (status is always open for breaches, every status for time to resolve) */
  filters: Omit<FindingFilters, "status">;
  windowDays: number;
  limit: number;
  after?: { due: string; id: string };
  /** false skips the time-to-resolve statistics (summaries only show breaches) */
  timeToResolve?: boolean;
}

export interface ResolveStats {
  resolved: number;
  meanDays: number | null;
  medianDays: number | null;
  p90Days: number | null;
  withinSla: number | null;
}

export interface BreachRow extends FindingRow {
  due_at: Date;
  due_key: string;
}

export interface SlaReport {
  policy: SlaPolicy;
  breaches: Record<SlaSeverity, number>;
  dueWithin7Days: Record<SlaSeverity, number>;
  timeToResolve: Record<SlaSeverity, ResolveStats>;
  items: BreachRow[];
  next: { due: string; id: string } | null;
}

/** When an open finding of severity f.severity is due under the policy: its open episode's start + days. */
function dueAt(days: SlaDays): SQL {
  return sql`(f.opened_at + make_interval(days => case f.severity
    when 'critical' then ${days.critical}::int when 'high' then ${days.high}::int
    when 'medium' then ${days.medium}::int else ${days.low}::int end))`;
}

const zeros = (): Record<SlaSeverity, number> => ({ critical: 0, high: 0, medium: 0, low: 0 });

/**
 * The SLA report: open, unsuppressed findings past their due date (the clock starts when the current open
 * episode began: first seen, or reopened), counts due in the next 7 days, and time to resolve per severity
 * over the window (each resolution measured from the opening that preceded it). Runs on the caller's tenant
 * transaction.
 */
export async function slaReportOn(
  db: Db,
  client: PoolClient,
  tenantId: string,
  input: SlaInput,
): Promise<SlaReport> {
  const policy = await readSlaPolicy(db, tenantId);
  const empty: SlaReport = {
    policy,
    breaches: zeros(),
    dueWithin7Days: zeros(),
    timeToResolve: Object.fromEntries(
      SLA_SEVERITIES.map((s) => [
        s,
        { resolved: 0, meanDays: null, medianDays: null, p90Days: null, withinSla: null },
      ]),
    ) as Record<SlaSeverity, ResolveStats>,
    items: [],
    next: null,
  };
  const where = await filterConditions(client, tenantId, { ...input.filters, status: "open" });
  if (!where) return empty;
  where.push(sql`f.severity <> 'info'`);
  const due = dueAt(policy.days);
  const counts = await queryRows<{ severity: SlaSeverity; breached: number; soon: number }>(
    client,
    sql`select f.severity, count(*) filter (where ${due} < now())::int as breached,
          count(*) filter (where ${due} >= now() and ${due} < now() + interval '7 days')::int as soon
        from findings f where ${sql.join(where, sql` and `)} group by f.severity`,
  );
  for (const r of counts) {
    empty.breaches[r.severity] = r.breached;
    empty.dueWithin7Days[r.severity] = r.soon;
  }
  const page = [...where, sql`${due} < now()`];
  if (input.after) {
    page.push(sql`(${due}, f.id) > (${input.after.due}::timestamptz, ${input.after.id}::text)`);
  }
  // the page's ids first, over narrow rows; the wide columns only for the rows answered
  const rows = await queryRows<BreachRow>(
    client,
    sql`with top as (
          select f.id, ${due} as due_at from findings f where ${sql.join(page, sql` and `)}
          order by due_at asc, f.id asc limit ${input.limit + 1}
        )
        select ${FINDING_COLUMNS}, top.due_at,
          to_char(top.due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as due_key
        ${FINDING_FROM} join top on top.id = f.id
        where f.tenant_id = ${tenantId}
        order by top.due_at asc, f.id asc`,
  );
  empty.items = rows.slice(0, input.limit);
  const last = empty.items.at(-1);
  empty.next = rows.length > input.limit && last ? { due: last.due_key, id: last.id } : null;

  if (input.timeToResolve === false) return empty;
  // every status: a finding resolved in the window may be open again now
  const clusterWhere = (await filterConditions(client, tenantId, input.filters)) ?? [sql`false`];
  const ttr = await queryRows<{
    severity: SlaSeverity;
    n: number;
    mean: number;
    median: number;
    p90: number;
    within: number;
  }>(
    client,
    sql`with r as (
          select f.severity, extract(epoch from e.at - o.opened) / 86400.0 as days
          from finding_events e
          join findings f on f.tenant_id = e.tenant_id and f.id = e.finding_id
          cross join lateral (
            select max(p.at) as opened from finding_events p
            where p.tenant_id = e.tenant_id and p.finding_id = e.finding_id and p.to_status = 'open'
              and p.from_status is distinct from 'suppressed' and p.at <= e.at
          ) o
          where e.tenant_id = ${tenantId} and e.kind = 'resolved'
            and e.at >= now() - make_interval(days => ${input.windowDays}::int)
            and f.severity <> 'info' and ${sql.join(clusterWhere, sql` and `)}
        )
        select severity, count(*)::int as n, avg(days)::float8 as mean,
          percentile_cont(0.5) within group (order by days)::float8 as median,
          percentile_cont(0.9) within group (order by days)::float8 as p90,
          avg(case when days <= (case severity when 'critical' then ${policy.days.critical}::int
            when 'high' then ${policy.days.high}::int when 'medium' then ${policy.days.medium}::int
            else ${policy.days.low}::int end) then 1.0 else 0.0 end)::float8 as within
        from r where days is not null group by severity`,
  );
  const round = (x: number) => Math.round(x * 10) / 10;
  for (const r of ttr) {
    empty.timeToResolve[r.severity] = {
      resolved: r.n,
      meanDays: round(r.mean),
      medianDays: round(r.median),
      p90Days: round(r.p90),
      withinSla: Math.round(r.within * 1000) / 1000,
    };
  }
  return empty;
}
