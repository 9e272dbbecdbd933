import { sweepLapsedSuppressions, withTenant } from "@bulwark/runtime";
import type pg from "pg";

/**
 * Suppressions that expired since the last sweep: reads already treat them as lapsed (the posture and the
 * findings compare `suppressed_until` with the clock); this records the `unsuppressed` events, dated at the
 * expiry, and tidies the column and counters, one tenant per transaction.
 */
export async function recordLapsedSuppressions(pool: pg.Pool): Promise<number> {
  const tenants = (
    await pool.query<{ tenant_id: string }>(
      "SELECT tenant_id FROM bulwark_tenants_with_lapsed_suppressions(500)",
    )
  ).rows;
  let unsuppressed = 0;
  for (const { tenant_id: tenantId } of tenants) {
    const change = await withTenant(pool, tenantId, (_db, client) =>
      sweepLapsedSuppressions(client, tenantId),
    );
    unsuppressed += change.unsuppressed;
  }
  return unsuppressed;
}
