import { sql } from "drizzle-orm";
import { boolean, foreignKey, index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import type { ChannelPublic, NotificationFilters } from "../notify.js";
import { createdAt, tenantId, tenantRowId, ts } from "./columns.js";
import { tenants } from "./tenants.js";

/**
 * A tenant's scheduled summary: when (cron + IANA zone), where (the channel: its public part in `channel`,
 * its secrets — URLs, webhook signing secret — AES-GCM encrypted in `channel_secret`, bound to the rule id),
 * about what (filters). `scheduled_from` is when the current schedule started counting (creation, a schedule
 * change, re-enabling): no tick before it is owed a summary.
 */
export const notificationRules = pgTable(
  "notification_rules",
  {
    id: tenantRowId(),
    tenantId: tenantId(),
    name: text("name").notNull(),
    cron: text("cron").notNull(),
    timezone: text("timezone").notNull(),
    channelType: text("channel_type").notNull(),
    channel: jsonb("channel").$type<ChannelPublic>().notNull(),
    channelSecret: text("channel_secret"),
    filters: jsonb("filters").$type<NotificationFilters>().notNull(),
    skipUnchanged: boolean("skip_unchanged").notNull().default(false),
    /** alert right after a snapshot brings new findings at or above this severity; null = off */
    instantMinSeverity: text("instant_min_severity"),
    enabled: boolean("enabled").notNull().default(true),
    disabledReason: text("disabled_reason"),
    disabledAt: ts("disabled_at"),
    /** final delivery failures in a row; reset by a success, disables the rule at the configured limit */
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    scheduledFrom: ts("scheduled_from").notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    createdBy: text("created_by"),
  },
  (t) => [
    primaryKey({ name: "notification_rules_pk", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "notification_rules_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    // the list route: newest first, keyset on (created_at, id)
    index("notification_rules_tenant_created_idx").on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    // partial: the snapshot hook looks only for rules with instant alerts on
    index("notification_rules_instant_idx")
      .on(t.tenantId)
      .where(sql`instant_min_severity is not null and enabled`),
  ],
);
