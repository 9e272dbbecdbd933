import { Readable } from "node:stream";
import { type ObjectStore, ObjectStoreError } from "@bulwark/runtime";
import { DependencyUnavailableError } from "./errors.js";
import type { LoadedReport } from "./report-state.js";

/**
 * The stored gzip payload of a report as a stream: the bytea column, or its object in the object store.
 * Null when retention removed it. An object store that does not answer (or is not configured while a report
 * needs it) is an outage, retried, never the report's failure.
 */
export async function openPayload(
  report: Pick<LoadedReport, "payload" | "payloadKey">,
  store: ObjectStore | null | undefined,
): Promise<Readable | null> {
  if (report.payload) return Readable.from([report.payload]);
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
