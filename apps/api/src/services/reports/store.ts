import { withTenant } from "@bulwark/runtime";
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
 * Insert the report as `queued`; the same body for the same cluster and source is a duplicate and returns
 * the earlier report instead (the unique index decides, so concurrent duplicates cannot both insert).
 */
export async function storeReport({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: StoreReportInput;
}): Promise<StoredReport> {
  const { envelope } = input;
  return withTenant(ctx.pool, ctx.tenantId, async (db) => {
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
        payload: input.payload,
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
    return { ...found, duplicate: true };
  });
}
