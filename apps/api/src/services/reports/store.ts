import { type ObjectStore, type PoolClient, payloadKey, payloadKeyLock, withTenant } from "@bulwark/runtime";
import { newId, type ReportEnvelope, scopeKey, tables } from "@bulwark/schema";
import { and, eq } from "drizzle-orm";
import { currentRequestId } from "../../lib/request-scope.js";
import type { TenantCtx } from "../context.js";

const { reports } = tables;

export interface StoreReportInput {
  clusterId: string;
  envelope: ReportEnvelope;
  bodySha256: string;
  /** gzip bytes of the body */
  payload: Buffer;
  /** decompressed length */
  payloadBytes: number;
}

export interface StoredReport {
  id: string;
  status: string;
  duplicate: boolean;
}

/**
 * Where the payload goes: with an object store, the object of this tenant and body hash (stored once: an
 * existing one is reused) and only its key in the row; else the bytea column. The key's advisory lock, held
 * until the row commits, keeps retention from deleting the object between the store and the insert.
 */
async function placePayload(
  client: PoolClient,
  tenantId: string,
  input: StoreReportInput,
  store: ObjectStore | null | undefined,
): Promise<{ payload: Buffer | null; payloadKey: string | null; payloadStoredBytes: number; put: boolean }> {
  if (!store)
    return { payload: input.payload, payloadKey: null, payloadStoredBytes: input.payload.length, put: false };
  const key = payloadKey(tenantId, input.bodySha256);
  await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [payloadKeyLock(key)]);
  const existing = await store.head(key);
  if (existing === null) await store.put(key, input.payload);
  return {
    payload: null,
    payloadKey: key,
    payloadStoredBytes: existing ?? input.payload.length,
    put: existing === null,
  };
}

/**
 * Insert the report as `queued`; the same body for the same cluster and source is a duplicate and returns
 * the earlier report instead (the unique index decides, so concurrent duplicates cannot both insert).
 */
export async function storeReport({
  ctx,
  input,
}: {
  ctx: TenantCtx & { objectStore?: ObjectStore | null };
  input: StoreReportInput;
}): Promise<StoredReport> {
  const { envelope } = input;
  return withTenant(ctx.pool, ctx.tenantId, async (db, client) => {
    const placed = await placePayload(client, ctx.tenantId, input, ctx.objectStore);
    const inserted = await db
      .insert(reports)
      .values({
        id: newId("report"),
        tenantId: ctx.tenantId,
        clusterId: input.clusterId,
        source: envelope.source,
        collectedAt: new Date(envelope.collectedAt),
        scope: envelope.scope ?? null,
        scopeKey: scopeKey(envelope.scope),
        manifest: envelope.manifest ?? null,
        tool: envelope.tool ?? null,
        runId: envelope.runId ?? null,
        bodySha256: input.bodySha256,
        payload: placed.payload,
        payloadKey: placed.payloadKey,
        payloadStoredBytes: placed.payloadStoredBytes,
        payloadBytes: input.payloadBytes,
        requestId: currentRequestId(),
      })
      .onConflictDoNothing({
        target: [reports.tenantId, reports.clusterId, reports.source, reports.bodySha256],
      })
      .returning({ id: reports.id, status: reports.status });
    const row = inserted[0];
    if (row) return { ...row, duplicate: false };
    const earlier = await db
      .select({ id: reports.id, status: reports.status })
      .from(reports)
      .where(
        and(
          eq(reports.tenantId, ctx.tenantId),
          eq(reports.clusterId, input.clusterId),
          eq(reports.source, envelope.source),
          eq(reports.bodySha256, input.bodySha256),
        ),
      );
    const found = earlier[0];
    // the conflicting row is committed (ON CONFLICT waited for it), so the select sees it
    if (!found) throw new Error("duplicate report vanished between insert and select");
    // a duplicate of a report whose payload retention already removed: the object just stored serves no row
    if (placed.put && placed.payloadKey && ctx.objectStore) {
      const used = await db
        .select({ id: reports.id })
        .from(reports)
        .where(and(eq(reports.tenantId, ctx.tenantId), eq(reports.payloadKey, placed.payloadKey)))
        .limit(1);
      if (used.length === 0) await ctx.objectStore.delete(placed.payloadKey);
    }
    return { ...found, duplicate: true };
  });
}
