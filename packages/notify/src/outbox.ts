import { buildSummary } from "@bulwark/insights";
import type { Db, PoolClient } from "@bulwark/runtime";
import { newId, SEVERITY_RANK, type Severity, type Summary, tables } from "@bulwark/schema";
import { and, eq, sql } from "drizzle-orm";
import { latestTickAtOrBefore, tickBefore, ticksBetween } from "./schedule.js";

const { notificationRules, notificationDeliveries } = tables;
export type RuleRow = typeof notificationRules.$inferSelect;
export type DeliveryRow = typeof notificationDeliveries.$inferSelect;

/** A summary sent this long after its tick is marked late (the service was down when it was due). */
export const LATE_AFTER_MS = 10 * 60_000;
/**
 * A period is summarised this long after its tick, so a snapshot whose transaction was still committing at
 * the tick is counted in this period rather than (being recorded before the tick) in none.
 */
export const SETTLE_MS = 15_000;

export interface SummaryDeps {
  publicUrl: string;
  silentAfterHours: number;
}

export interface OwedPeriod {
  start: Date;
  end: Date;
  late: boolean;
  /** ticks the period spans: more than one when ticks were missed */
  ticks: number;
}

/**
 * The scheduled period a rule is owed at `now`, or null: it ends at the latest tick (settled), starts where
 * the last scheduled summary ended, so periods missed while the service was down are covered once, by one
 * late summary, not one per tick. A rule whose schedule started counting after that tick (created, changed or
 * re-enabled since) is owed nothing for it; its first period is the natural one (previous tick → tick).
 */
export function owedPeriod(
  rule: Pick<RuleRow, "cron" | "timezone" | "scheduledFrom">,
  lastEnd: Date | null,
  now: Date,
): OwedPeriod | null {
  const schedule = { cron: rule.cron, timezone: rule.timezone };
  const end = latestTickAtOrBefore(schedule, new Date(now.getTime() - SETTLE_MS));
  if (!end || end.getTime() < rule.scheduledFrom.getTime()) return null;
  if (lastEnd && lastEnd.getTime() >= end.getTime()) return null;
  const natural = tickBefore(schedule, end) ?? new Date(end.getTime() - 86_400_000);
  let start: Date;
  if (lastEnd && lastEnd.getTime() >= rule.scheduledFrom.getTime()) start = lastEnd;
  else start = lastEnd && lastEnd.getTime() > natural.getTime() ? lastEnd : natural;
  const ticks = ticksBetween(schedule, start, end, 10_000).length;
  const late = now.getTime() - end.getTime() > LATE_AFTER_MS || ticks > 1;
  return { start, end, late, ticks };
}

export async function lastScheduledEnd(db: Db, tenantId: string, ruleId: string): Promise<Date | null> {
  const rows = await db
    .select({ end: sql<Date | null>`max(${notificationDeliveries.periodEnd})` })
    .from(notificationDeliveries)
    .where(
      and(
        eq(notificationDeliveries.tenantId, tenantId),
        eq(notificationDeliveries.ruleId, ruleId),
        eq(notificationDeliveries.kind, "scheduled"),
      ),
    );
  const end = rows[0]?.end;
  return end ? new Date(end) : null;
}

async function insertDelivery(
  db: Db,
  row: typeof notificationDeliveries.$inferInsert,
): Promise<{ id: string; status: string } | null> {
  const rows = await db
    .insert(notificationDeliveries)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: notificationDeliveries.id, status: notificationDeliveries.status });
  return rows[0] ?? null;
}

function statusFor(rule: RuleRow, summary: Summary): "pending" | "skipped" {
  return rule.skipUnchanged && summary.unchanged ? "skipped" : "pending";
}

/**
 * Write the outbox row of the period a rule is owed now, with its summary, in the caller's tenant
 * transaction; null when nothing is owed (not yet due, already written, rule disabled or gone). The rule row
 * is locked so concurrent ticks of one rule queue up; the partial unique index on (rule, period start) is
 * the guarantee behind it: however many workers and ticks race, one row per period.
 */
export async function openScheduledPeriod(
  db: Db,
  client: PoolClient,
  tenantId: string,
  ruleId: string,
  now: Date,
  deps: SummaryDeps,
): Promise<{ id: string; status: string; period: OwedPeriod } | null> {
  const rules = await db
    .select()
    .from(notificationRules)
    .where(and(eq(notificationRules.tenantId, tenantId), eq(notificationRules.id, ruleId)))
    .for("update");
  const rule = rules[0];
  if (!rule?.enabled) return null;
  const period = owedPeriod(rule, await lastScheduledEnd(db, tenantId, ruleId), now);
  if (!period) return null;
  const summary = await buildSummary(db, client, tenantId, {
    kind: "scheduled",
    rule: { id: rule.id, name: rule.name, timezone: rule.timezone, filters: rule.filters },
    period,
    now,
    ...deps,
  });
  const row = await insertDelivery(db, {
    id: newId("delivery"),
    tenantId,
    ruleId,
    kind: "scheduled",
    periodStart: period.start,
    periodEnd: period.end,
    late: period.late,
    status: statusFor(rule, summary),
    channelType: rule.channelType,
    summary,
  });
  return row ? { ...row, period } : null;
}

/**
 * The current period (last tick → now) sent on request. Not part of the schedule: the scheduled summary of
 * this period still goes at its tick. An Idempotency-Key makes a retried request one delivery.
 */
export async function openManualDelivery(
  db: Db,
  client: PoolClient,
  tenantId: string,
  rule: RuleRow,
  now: Date,
  idempotencyKey: string | null,
  deps: SummaryDeps,
): Promise<{ id: string; created: boolean }> {
  if (idempotencyKey) {
    const prior = await db
      .select({ id: notificationDeliveries.id })
      .from(notificationDeliveries)
      .where(
        and(
          eq(notificationDeliveries.tenantId, tenantId),
          eq(notificationDeliveries.ruleId, rule.id),
          eq(notificationDeliveries.kind, "manual"),
          eq(notificationDeliveries.idempotencyKey, idempotencyKey),
        ),
      );
    if (prior[0]) return { id: prior[0].id, created: false };
  }
  const start = await currentPeriodStart(db, tenantId, rule, now);
  const summary = await buildSummary(db, client, tenantId, {
    kind: "manual",
    rule: { id: rule.id, name: rule.name, timezone: rule.timezone, filters: rule.filters },
    period: { start, end: now, late: false },
    now,
    ...deps,
  });
  const id = newId("delivery");
  const row = await insertDelivery(db, {
    id,
    tenantId,
    ruleId: rule.id,
    kind: "manual",
    periodStart: start,
    periodEnd: now,
    idempotencyKey,
    status: "pending",
    channelType: rule.channelType,
    summary,
  });
  if (row) return { id: row.id, created: true };
  // a concurrent request with the same key won the insert
  return openManualDelivery(db, client, tenantId, rule, now, idempotencyKey, deps);
}

/** Where the current period began: the last scheduled summary's end, else the last tick (a day back at most). */
export async function currentPeriodStart(db: Db, tenantId: string, rule: RuleRow, now: Date): Promise<Date> {
  const last = await lastScheduledEnd(db, tenantId, rule.id);
  const tick = latestTickAtOrBefore({ cron: rule.cron, timezone: rule.timezone }, now);
  const candidates = [last, tick].filter((d): d is Date => d !== null && d.getTime() < now.getTime());
  if (candidates.length === 0) return new Date(now.getTime() - 86_400_000);
  return new Date(Math.max(...candidates.map((d) => d.getTime())));
}

/**
 * Instant alerts for an applied snapshot, written in the snapshot's own transaction (so an alert is owed
 * exactly when the change is committed): one per rule with alerts on whose filters match new or reopened
 * findings of the report at or above its severity. Returns the delivery ids to enqueue after commit.
 */
export async function openInstantAlerts(
  db: Db,
  client: PoolClient,
  tenantId: string,
  reportId: string,
  now: Date,
  deps: SummaryDeps,
): Promise<string[]> {
  const rules = await db
    .select()
    .from(notificationRules)
    .where(
      and(
        eq(notificationRules.tenantId, tenantId),
        eq(notificationRules.enabled, true),
        sql`${notificationRules.instantMinSeverity} is not null`,
      ),
    );
  const ids: string[] = [];
  for (const rule of rules) {
    const minSeverity = rule.instantMinSeverity as Severity;
    if (!(minSeverity in SEVERITY_RANK)) continue;
    const summary = await buildSummary(db, client, tenantId, {
      kind: "instant",
      rule: { id: rule.id, name: rule.name, timezone: rule.timezone, filters: rule.filters },
      period: { start: now, end: now, late: false },
      report: { id: reportId, minSeverity },
      now,
      ...deps,
    });
    if (summary.topNew.items.length === 0) continue;
    const row = await insertDelivery(db, {
      id: newId("delivery"),
      tenantId,
      ruleId: rule.id,
      kind: "instant",
      periodStart: now,
      periodEnd: now,
      reportId,
      status: "pending",
      channelType: rule.channelType,
      summary,
    });
    if (row) ids.push(row.id);
  }
  return ids;
}
