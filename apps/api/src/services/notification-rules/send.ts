import { openManualDelivery, type SummaryDeps } from "@bulwark/notify";
import { withTenant } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { and, eq } from "drizzle-orm";
import { ApiError } from "../../errors.js";
import type { TenantCtx } from "../context.js";
import { loadRule } from "./row.js";

/**
 * Send the current period (last tick → now) now: its outbox row is committed here and sent by a worker.
 * The scheduled summary still goes at the next tick. A disabled rule answers 409 with the reason.
 */
export async function sendNow({
  ctx,
  input,
}: {
  ctx: TenantCtx & { summary: SummaryDeps };
  input: { id: string; idempotencyKey: string | null };
}): Promise<{ id: string; created: boolean; status: string; periodStart: Date; periodEnd: Date }> {
  return withTenant(ctx.pool, ctx.tenantId, async (db, client) => {
    const rule = await loadRule(db, ctx.tenantId, input.id);
    if (!rule.enabled) {
      throw new ApiError(
        "conflict",
        `notification rule ${rule.id} is disabled${rule.disabledReason ? `: ${rule.disabledReason}` : ""}; set enabled to true first`,
      );
    }
    const now = new Date();
    const r = await openManualDelivery(
      db,
      client,
      ctx.tenantId,
      rule,
      now,
      input.idempotencyKey,
      ctx.summary,
    );
    const d = tables.notificationDeliveries;
    const [row] = await db
      .select({ status: d.status, periodStart: d.periodStart, periodEnd: d.periodEnd })
      .from(d)
      .where(and(eq(d.tenantId, ctx.tenantId), eq(d.id, r.id)));
    if (!row) throw new Error("delivery row vanished");
    return { ...r, ...row };
  });
}
