import type { PoolClient } from "@bulwark/runtime";
import {
  computePosture,
  emptyCounts,
  SEVERITIES,
  type SeverityCounts,
  type StrategyCounts,
} from "@bulwark/schema";
import { sql } from "drizzle-orm";
import { queryRows } from "../query.js";
import { inClusters } from "./current.js";

export interface HistoryInput {
  /** the clusters summed; all of the tenant's when null */
  clusterIds: readonly string[] | null;
  /** UTC dates, YYYY-MM-DD, from ≤ to */
  from: string;
  to: string;
  interval: "day" | "week";
}

export interface HistoryPoint {
  at: string;
  score: number;
  open: SeverityCounts;
  resolved: number;
  categories: { id: string; score: number }[];
  strategies: { id: string; score: number }[];
  /** some cluster's state that day was carried over or replayed from events, not written that day */
  estimated: boolean;
}

interface PointRow {
  cluster_id: string;
  day: string;
  counts: StrategyCounts;
  origin: string;
}

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The Monday of a date's ISO week. */
function weekStart(day: string): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  const dow = (new Date(ms).getUTCDay() + 6) % 7;
  return dayOf(ms - dow * DAY_MS);
}

function pointFrom(at: string, states: PointRow[], resolved: number): HistoryPoint {
  const byStrategy = new Map<string, SeverityCounts>();
  for (const s of states) {
    for (const [strategy, arr] of Object.entries(s.counts)) {
      const c = byStrategy.get(strategy) ?? emptyCounts();
      SEVERITIES.forEach((sev, i) => {
        c[sev] += arr[i] ?? 0;
      });
      byStrategy.set(strategy, c);
    }
  }
  const p = computePosture(byStrategy, new Map());
  return {
    at,
    score: p.score,
    open: p.open,
    resolved,
    categories: p.categories.map((c) => ({ id: c.id, score: c.score })),
    strategies: p.categories.flatMap((c) => c.strategies.map((s) => ({ id: s.id, score: s.score }))),
    estimated: states.some((s) => s.origin !== "live"),
  };
}

/**
 * Posture history from the daily points: for each UTC day the sum over the tenant's clusters (or one) of the
 * latest point at or before that day (a cluster with no point yet that day contributes its previous one; a
 * cluster with no point at all by then contributes nothing). Days before any point are left out. Weekly
 * points are the state at each ISO week's last day in range, labelled by the week's Monday, with the week's
 * resolutions. Runs on the caller's tenant transaction.
 */
export async function postureHistoryOn(
  client: PoolClient,
  tenantId: string,
  input: HistoryInput,
): Promise<HistoryPoint[]> {
  const inCluster = inClusters(input.clusterIds);
  const rows = await queryRows<PointRow>(
    client,
    sql`(select distinct on (cluster_id) cluster_id, day::text as day, counts, origin from posture_daily
         where tenant_id = ${tenantId} and day < ${input.from}::date ${inCluster}
         order by cluster_id, day desc)
        union all
        (select cluster_id, day::text, counts, origin from posture_daily
         where tenant_id = ${tenantId} and day between ${input.from}::date and ${input.to}::date ${inCluster})
        order by day`,
  );
  const resolvedRows = await queryRows<{ day: string; n: number }>(
    client,
    sql`select day::text as day, sum(n)::int as n from posture_resolved
        where tenant_id = ${tenantId} and day between ${input.from}::date and ${input.to}::date ${inCluster}
        group by day`,
  );
  const resolvedOn = new Map(resolvedRows.map((r) => [r.day, r.n]));
  const latest = new Map<string, PointRow>();
  let next = 0;
  const points: HistoryPoint[] = [];
  let weekResolved = 0;
  const end = Date.parse(`${input.to}T00:00:00Z`);
  for (let ms = Date.parse(`${input.from}T00:00:00Z`); ms <= end; ms += DAY_MS) {
    const day = dayOf(ms);
    for (; next < rows.length && (rows[next] as PointRow).day <= day; next++) {
      const r = rows[next] as PointRow;
      latest.set(r.cluster_id, r);
    }
    weekResolved += resolvedOn.get(day) ?? 0;
    const lastOfWeek = ms + DAY_MS > end || weekStart(dayOf(ms + DAY_MS)) !== weekStart(day);
    if (input.interval === "day") {
      if (latest.size > 0) points.push(pointFrom(day, [...latest.values()], resolvedOn.get(day) ?? 0));
    } else if (lastOfWeek) {
      if (latest.size > 0) points.push(pointFrom(weekStart(day), [...latest.values()], weekResolved));
      weekResolved = 0;
    }
  }
  return points;
}
