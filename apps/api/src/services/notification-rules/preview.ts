import { buildSummary } from "@bulwark/insights";
import { currentPeriodStart, renderAll, type SummaryDeps } from "@bulwark/notify";
import { withTenant } from "@bulwark/runtime";
import type { TenantCtx } from "../context.js";
import { loadRule } from "./row.js";

/**
 * The summary the rule's next scheduled message would carry if its period ended now, rendered three ways.
 * Nothing is written or sent.
 */
export async function previewRule({
  ctx,
  input,
}: {
  ctx: TenantCtx & { summary: SummaryDeps };
  input: { id: string };
}): Promise<ReturnType<typeof renderAll> & { period: { start: Date; end: Date } }> {
  return withTenant(ctx.pool, ctx.tenantId, async (db, client) => {
    const rule = await loadRule(db, ctx.tenantId, input.id);
    const now = new Date();
    const start = await currentPeriodStart(db, ctx.tenantId, rule, now);
    const summary = await buildSummary(db, client, ctx.tenantId, {
      kind: "scheduled",
      rule: { id: rule.id, name: rule.name, timezone: rule.timezone, filters: rule.filters },
      period: { start, end: now, late: false },
      now,
      ...ctx.summary,
    });
    return { ...renderAll(summary, "preview"), period: { start, end: now } };
  });
}
