import { type Logger, refreshTodayPoints, withTenant } from "@bulwark/runtime";
import type pg from "pg";
import { BACKFILL_SQL, CARRY_FORWARD_SQL, PRUNE_SQL } from "./close-day-sql.js";

export interface CloseDayDeps {
  pool: pg.Pool;
  logger: Logger;
  historyDays: number;
}

export interface CloseDayResult {
  tenants: number;
  carried: number;
  backfilled: number;
  pruned: number;
}

/**
 * The posture-day job: for every tenant with clusters, in a transaction of its own, carry the last point over
 * any UTC day that has none (the system was down, nothing arrived), backfill clusters whose history predates
 * this feature from their findings' status events, rewrite today's points from the counters (so a day ends
 * with a point even when no snapshot arrives, and a lapsed suppression shows), and drop points past retention.
 * Idempotent: any number of workers may run it at once.
 */
export async function closePostureDays(deps: CloseDayDeps): Promise<CloseDayResult> {
  const tenants = (
    await deps.pool.query<{ tenant_id: string }>("SELECT tenant_id FROM bulwark_tenants_with_clusters()")
  ).rows;
  const result: CloseDayResult = { tenants: tenants.length, carried: 0, backfilled: 0, pruned: 0 };
  for (const { tenant_id: tenantId } of tenants) {
    await withTenant(deps.pool, tenantId, async (_db, client) => {
      result.backfilled += (await client.query(BACKFILL_SQL, [tenantId, deps.historyDays])).rowCount ?? 0;
      result.carried += (await client.query(CARRY_FORWARD_SQL, [tenantId, deps.historyDays])).rowCount ?? 0;
      await refreshTodayPoints(client, tenantId, null);
      result.pruned += (await client.query(PRUNE_SQL, [tenantId, deps.historyDays])).rowCount ?? 0;
    });
  }
  if (result.carried + result.backfilled + result.pruned > 0) deps.logger.info(result, "posture days closed");
  return result;
}
