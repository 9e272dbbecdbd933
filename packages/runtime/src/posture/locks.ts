import type pg from "pg";

/**
 * Suppression state (findings.suppressed_until and the counters that depend on it) changes in two kinds of
 * transaction: a snapshot apply (shared: snapshots of different clusters and sources run side by side) and a
 * suppression change or expiry sweep (exclusive: it touches findings of every cluster of the tenant). Without
 * this lock the two would lock the same finding rows in different orders and deadlock.
 */
export async function lockTenantSuppressions(
  client: pg.PoolClient,
  tenantId: string,
  mode: "shared" | "exclusive",
): Promise<void> {
  const fn = mode === "shared" ? "pg_advisory_xact_lock_shared" : "pg_advisory_xact_lock";
  await client.query(`SELECT ${fn}(hashtextextended($1, 0))`, [`suppressions/${tenantId}`]);
}
