import { Readable } from "node:stream";
import { type ObjectStore, ObjectStoreError, withTenant } from "@bulwark/runtime";
import type pg from "pg";
import { DependencyUnavailableError } from "./errors.js";
import type { LoadedReport } from "./report-state.js";

/**
 * Slices read from the bytea column at a time. The column is stored EXTERNAL (uncompressed TOAST, migration
 * 0013), so Postgres fetches only the chunks of each slice: the worker never holds the whole payload (nor its
 * hex text form, twice its size, which a plain SELECT of the column would build).
 */
const SLICE_BYTES = 4 * 1024 * 1024;

async function* bytea(
  pool: pg.Pool,
  tenantId: string,
  reportId: string,
  sliceBytes: number,
): AsyncGenerator<Buffer> {
  for (let offset = 1; ; offset += sliceBytes) {
    const slice = await withTenant(pool, tenantId, async (_db, client) => {
      const r = await client.query<{ b: Buffer | null }>(
        "SELECT substring(payload FROM $3 FOR $4) AS b FROM reports WHERE tenant_id = $1 AND id = $2",
        [tenantId, reportId, offset, sliceBytes],
      );
      return r.rows[0]?.b ?? null;
    });
    if (!slice || slice.length === 0) return;
    yield slice;
    if (slice.length < sliceBytes) return;
  }
}

/**
 * The stored gzip payload of a report as a stream: the bytea column, or its object in the object store.
 * Null when retention removed it. An object store that does not answer (or is not configured while a report
 * needs it) is an outage, retried, never the report's failure.
 */
export async function openPayload(
  pool: pg.Pool,
  report: Pick<LoadedReport, "tenantId" | "id" | "payloadInDb" | "payloadKey">,
  store: ObjectStore | null | undefined,
  sliceBytes = SLICE_BYTES,
): Promise<Readable | null> {
  if (report.payloadInDb) return Readable.from(bytea(pool, report.tenantId, report.id, sliceBytes));
  if (!report.payloadKey) return null;
  if (!store)
    throw new DependencyUnavailableError(
      new Error("the payload is in the object store but OBJECT_STORE_URL is not set"),
    );
  try {
    return await store.get(report.payloadKey);
  } catch (e) {
    if (e instanceof ObjectStoreError) throw new DependencyUnavailableError(e);
    throw e;
  }
}
