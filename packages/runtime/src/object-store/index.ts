import type { Config } from "../config.js";
import { ObjectStore } from "./client.js";

export { ObjectStore, ObjectStoreError, type ObjectStoreOptions } from "./client.js";

/**
 * Where a report's raw payload lives in the object store: one object per tenant and body hash, so identical
 * bodies (the same JSON uploaded again, by any cluster of the tenant) are stored once.
 */
export function payloadKey(tenantId: string, bodySha256: string): string {
  return `payloads/${tenantId}/${bodySha256}.json.gz`;
}

/** The advisory lock that orders an upload's store-then-insert against retention's release-then-delete. */
export function payloadKeyLock(key: string): string {
  return `payload-object/${key}`;
}

/** The object store of the configuration; null when OBJECT_STORE_URL is unset (payloads stay in Postgres). */
export function createObjectStore(
  config: Pick<
    Config,
    | "OBJECT_STORE_URL"
    | "OBJECT_STORE_REGION"
    | "OBJECT_STORE_ACCESS_KEY_ID"
    | "OBJECT_STORE_SECRET_ACCESS_KEY"
  >,
): ObjectStore | null {
  if (!config.OBJECT_STORE_URL) return null;
  return new ObjectStore({
    url: config.OBJECT_STORE_URL,
    region: config.OBJECT_STORE_REGION,
    accessKeyId: config.OBJECT_STORE_ACCESS_KEY_ID ?? "",
    secretAccessKey: config.OBJECT_STORE_SECRET_ACCESS_KEY ?? "",
  });
}
