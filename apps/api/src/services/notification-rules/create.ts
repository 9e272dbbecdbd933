import { type ChannelInput, sealChannel } from "@bulwark/notify";
import type { Config } from "@bulwark/runtime";
import { withTenant } from "@bulwark/runtime";
import { type NotificationFilters, newId, tables } from "@bulwark/schema";
import type { TenantCtx } from "../context.js";
import type { RuleRow } from "./row.js";
import { checkChannel, resolveFilters } from "./validate.js";

export interface RuleInput {
  name: string;
  schedule: { cron: string; timezone: string };
  channel: ChannelInput;
  filters: NotificationFilters;
  skipUnchanged: boolean;
  enabled: boolean;
  instant: { minSeverity: string } | null;
}

/**
 * A notification rule: filters' cluster names resolved to ids, the channel checked (SMTP configured, URLs
 * past the destination guard) and its secrets sealed under SECRETS_KEY. A webhook channel given no secret
 * gets one, returned once.
 */
export async function createRule({
  ctx,
  input,
}: {
  ctx: TenantCtx & { config: Config };
  input: RuleInput & { createdBy: string };
}): Promise<{ rule: RuleRow; generatedSecret?: string }> {
  await checkChannel(ctx.config, input.channel);
  return withTenant(ctx.pool, ctx.tenantId, async (db) => {
    const filters = await resolveFilters(db, ctx.tenantId, input.filters);
    const id = newId("notificationRule");
    const sealed = sealChannel(Buffer.from(ctx.config.SECRETS_KEY, "base64"), id, input.channel);
    const now = new Date();
    const rows = await db
      .insert(tables.notificationRules)
      .values({
        id,
        tenantId: ctx.tenantId,
        name: input.name,
        cron: input.schedule.cron,
        timezone: input.schedule.timezone,
        channelType: sealed.channelType,
        channel: sealed.channel,
        channelSecret: sealed.channelSecret,
        filters,
        skipUnchanged: input.skipUnchanged,
        instantMinSeverity: input.instant?.minSeverity ?? null,
        enabled: input.enabled,
        disabledAt: input.enabled ? null : now,
        scheduledFrom: now,
        createdAt: now,
        updatedAt: now,
        createdBy: input.createdBy,
      })
      .returning();
    const rule = rows[0];
    if (!rule) throw new Error("insert returned no row");
    return { rule, ...(sealed.generatedSecret ? { generatedSecret: sealed.generatedSecret } : {}) };
  });
}
