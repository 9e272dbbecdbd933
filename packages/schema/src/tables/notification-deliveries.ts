import { sql } from "drizzle-orm";
import {
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { Summary } from "../notify.js";
import { createdAt, tenantId, tenantRowId, ts } from "./columns.js";
import { notificationRules } from "./notification-rules.js";

/**
 * The transactional outbox and the delivery history in one: a row is written, with the summary it will
 * send, in the transaction that decides a message is owed (a period ended, a snapshot brought new
 * findings, someone asked), and sent after commit by a worker. Retries resend the stored summary, so every
 * attempt carries the same content and the same webhook id.
 */
export const notificationDeliveries = pgTable(
  "notification_deliveries",
  {
    id: tenantRowId(),
    tenantId: tenantId(),
    ruleId: text("rule_id").notNull(),
    /** scheduled | manual | instant */
    kind: text("kind").notNull(),
    periodStart: ts("period_start").notNull(),
    periodEnd: ts("period_end").notNull(),
    /** the snapshot behind an instant alert */
    reportId: text("report_id"),
    /** a manual send's Idempotency-Key */
    idempotencyKey: text("idempotency_key"),
    /** sent well after its tick (the system was down), covering every period missed since the last one */
    late: boolean("late").notNull().default(false),
    /** pending | sending | retrying | sent | failed | skipped */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    responseCode: integer("response_code"),
    /** a sending attempt holds the row until then; after it, another worker may take it over */
    leaseUntil: ts("lease_until"),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    sentAt: ts("sent_at"),
    channelType: text("channel_type").notNull(),
    summary: jsonb("summary").$type<Summary>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "notification_deliveries_pk", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "notification_deliveries_rule_fk",
      columns: [t.tenantId, t.ruleId],
      foreignColumns: [notificationRules.tenantId, notificationRules.id],
    }).onDelete("cascade"),
    // exactly once per rule and period: any number of workers and ticks insert, one row wins
    uniqueIndex("notification_deliveries_period_uq")
      .on(t.tenantId, t.ruleId, t.periodStart)
      .where(sql`kind = 'scheduled'`),
    // one instant alert per rule and report
    uniqueIndex("notification_deliveries_report_uq")
      .on(t.tenantId, t.ruleId, t.reportId)
      .where(sql`kind = 'instant'`),
    // a retried POST …/send with the same Idempotency-Key sends once
    uniqueIndex("notification_deliveries_idem_uq")
      .on(t.tenantId, t.ruleId, t.idempotencyKey)
      .where(sql`kind = 'manual' and idempotency_key is not null`),
    // the history route: newest first, keyset on (created_at, id)
    index("notification_deliveries_rule_created_idx").on(
      t.tenantId,
      t.ruleId,
      t.createdAt.desc(),
      t.id.desc(),
    ),
    // partial: the relay looks only for deliveries not finished yet, a small set
    index("notification_deliveries_unfinished_idx")
      .on(t.nextAttemptAt)
      .where(sql`status in ('pending', 'sending', 'retrying')`),
  ],
);
