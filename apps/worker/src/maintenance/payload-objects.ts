import { type ObjectStore, payloadKeyLock } from "@bulwark/runtime";
import type pg from "pg";

/** objects looked at per sweep: the rest waits for the next one (every MAINTENANCE_INTERVAL_MS) */
const BATCH = 200;

/**
 * Retention of the payloads kept in the object store: each object whose reports have all passed
 * REPORT_RETENTION_DAYS is released in the database and then deleted, one object per transaction under its
 * key's lock (the upload of the same body takes it too). A failed delete rolls the release back, so the next
 * sweep tries again; an object still needed by a younger report of the same body stays.
 */
export async function purgePayloadObjects(
  pool: pg.Pool,
  store: ObjectStore,
  retentionDays: number,
): Promise<number> {
  const interval = `${retentionDays} days`;
  const expired = await pool.query<{ tenant_id: string; payload_key: string }>(
    "SELECT tenant_id, payload_key FROM bulwark_expired_payload_objects($1::interval, $2)",
    [interval, BATCH],
  );
  let released = 0;
  for (const { tenant_id: tenantId, payload_key: key } of expired.rows) {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [payloadKeyLock(key)]);
      const r = await client.query<{ released: string; unreferenced: boolean }>(
        "SELECT released, unreferenced FROM bulwark_release_payload_object($1, $2, $3::interval)",
        [tenantId, key, interval],
      );
      if (r.rows[0]?.unreferenced) await store.delete(key);
      await client.query("COMMIT");
      released += Number(r.rows[0]?.released ?? 0);
    } catch (e) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }
  return released;
}
