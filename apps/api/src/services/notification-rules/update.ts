import { sealChannel } from "@bulwark/notify";
import { type Config, withTenant } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { and, eq } from "drizzle-orm";
import type { TenantCtx } from "../context.js";
import type { RuleInput } from "./create.js";
import { loadRule, type RuleRow } from "./row.js";
import { checkChannel, resolveFilters } from "./validate.js";

/**
 * Change a rule. A new schedule starts counting now (no tick before the change is owed a summary); so does
 * re-enabling, which also clears the reason it was disabled and its failure count. A channel, when given,
 * replaces the old one whole (URLs and secrets are write-only, so they are given again).
 */
export async function updateRule({
  ctx,
  input,
}: {
  ctx: TenantCtx & { config: Config };
  input: { id: string; patch: Partial<RuleInput> };
}): Promise<{ rule: RuleRow; generatedSecret?: string }> {
  const { patch } = input;
  if (patch.channel) await checkChannel(ctx.config, patch.channel);
  return withTenant(ctx.pool, ctx.tenantId, async (db) => {
    const current = await loadRule(db, ctx.tenantId, input.id, true);
    const now = new Date();
    const set: Partial<typeof tables.notificationRules.$inferInsert> = { updatedAt: now };
    let generatedSecret: string | undefined;
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.schedule) {
      if (patch.schedule.cron !== current.cron || patch.schedule.timezone !== current.timezone) {
        set.scheduledFrom = now;
      }
      set.cron = patch.schedule.cron;
      set.timezone = patch.schedule.timezone;
    }
    if (patch.channel) {
      const sealed = sealChannel(Buffer.from(ctx.config.SECRETS_KEY, "base64"), current.id, patch.channel);
      set.channelType = sealed.channelType;
      set.channel = sealed.channel;
      set.channelSecret = sealed.channelSecret;
      generatedSecret = sealed.generatedSecret;
    }
    if (patch.filters) set.filters = await resolveFilters(db, ctx.tenantId, patch.filters);
    if (patch.skipUnchanged !== undefined) set.skipUnchanged = patch.skipUnchanged;
    if (patch.instant !== undefined) set.instantMinSeverity = patch.instant?.minSeverity ?? null;
    if (patch.enabled === true && !current.enabled) {
      Object.assign(set, {
        enabled: true,
        disabledReason: null,
        disabledAt: null,
        consecutiveFailures: 0,
        scheduledFrom: now,
      });
    } else if (patch.enabled === false && current.enabled) {
      Object.assign(set, { enabled: false, disabledReason: null, disabledAt: now });
    }
    const rows = await db
      .update(tables.notificationRules)
      .set(set)
      .where(
        and(eq(tables.notificationRules.tenantId, ctx.tenantId), eq(tables.notificationRules.id, current.id)),
      )
      .returning();
    const rule = rows[0] as RuleRow;
    return { rule, ...(generatedSecret ? { generatedSecret } : {}) };
  });
}
