import { applySuppressionChange, withTenant } from "@bulwark/runtime";
import { newId, tables } from "@bulwark/schema";
import { validationError } from "../../validation.js";
import { findCluster } from "../clusters/find.js";
import type { TenantCtx } from "../context.js";
import type { SuppressionRow, SuppressionSelector } from "./row.js";

const { suppressions } = tables;

export interface CreateSuppressionInput {
  selector: SuppressionSelector;
  reason: string;
  expiresAt: Date;
  createdBy: string;
}

/**
 * A suppression; `selector.cluster` may be an id or a name and is stored as the id. Matching open findings
 * record a `suppressed` event and leave the posture's open counts.
 */
export async function createSuppression({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: CreateSuppressionInput;
}): Promise<SuppressionRow> {
  const { selector } = input;
  return withTenant(ctx.pool, ctx.tenantId, async (db, client) => {
    let clusterId: string | null = null;
    if (selector.cluster) {
      const cluster = await findCluster(db, ctx.tenantId, selector.cluster, true);
      if (!cluster) {
        throw validationError([
          { location: "body.selector.cluster", message: `no cluster "${selector.cluster}"` },
        ]);
      }
      clusterId = cluster.id;
    }
    const rows = await db
      .insert(suppressions)
      .values({
        id: newId("suppression"),
        tenantId: ctx.tenantId,
        ruleId: selector.ruleId ?? null,
        clusterId,
        namespace: selector.namespace ?? null,
        kind: selector.kind ?? null,
        name: selector.name ?? null,
        fingerprint: selector.fingerprint ?? null,
        reason: input.reason,
        expiresAt: input.expiresAt,
        createdBy: input.createdBy,
      })
      .returning();
    const row = rows[0];
    if (!row) throw new Error("insert returned no row");
    // the matching findings read as suppressed from this commit on: their state, events and counters change
    // in this transaction
    await applySuppressionChange(client, ctx.tenantId, row, row.id);
    return row;
  });
}
