import { type Channel, openChannel } from "@bulwark/notify";
import { type Logger, withTenant } from "@bulwark/runtime";
import { type ChannelType, type NotifyDeliverPayload, notifyDeliverPayload, tables } from "@bulwark/schema";
import { UnrecoverableError } from "bullmq";
import { and, eq, sql } from "drizzle-orm";
import type pg from "pg";
import { type ChannelDeps, type SendOutcome, sendThrough } from "./channels.js";

const { notificationDeliveries: deliveries, notificationRules: rules } = tables;

export interface DeliverDeps extends ChannelDeps {
  pool: pg.Pool;
  logger: Logger;
  secretsKey: Buffer;
  maxAttempts: number;
  retryBaseMs: number;
  disableAfterFailures: number;
  now?: () => Date;
}

/** What the job does next: finished, or wait until a time (a retry, or another worker's lease). */
export type DeliverResult = { outcome: "done"; status: string } | { outcome: "wait"; until: Date };

const MAX_BACKOFF_MS = 3_600_000;

/** Exponential backoff with equal jitter: half the window fixed, half random, so retries never bunch up. */
export function backoffMs(attempt: number, baseMs: number, random = Math.random): number {
  const cap = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), MAX_BACKOFF_MS);
  return Math.round(cap / 2 + random() * (cap / 2));
}

export function parseDeliverPayload(data: unknown): NotifyDeliverPayload {
  const p = notifyDeliverPayload.safeParse(data);
  if (!p.success) throw new UnrecoverableError(`invalid notify-deliver payload: ${p.error.message}`);
  return p.data;
}

type Claim =
  | { kind: "gone" | "finished" }
  | { kind: "wait"; until: Date }
  | {
      kind: "send";
      attempt: number;
      channel: Channel;
      summary: typeof deliveries.$inferSelect.summary;
      ruleId: string;
    };

/**
 * Take the delivery for one attempt: a row already finished is left alone (the job ran twice); a row another
 * attempt holds (its lease running) or not yet due waits; a row whose rule is disabled is closed unsent.
 * Otherwise the row becomes `sending` under a lease of twice the send timeout: should this worker die
 * mid-send, the lease lapses and another worker retries.
 */
async function claim(deps: DeliverDeps, p: NotifyDeliverPayload, now: Date): Promise<Claim> {
  return withTenant(deps.pool, p.tenantId, async (db) => {
    const rows = await db
      .select({ d: deliveries, rule: rules })
      .from(deliveries)
      .innerJoin(rules, and(eq(rules.tenantId, deliveries.tenantId), eq(rules.id, deliveries.ruleId)))
      .where(and(eq(deliveries.tenantId, p.tenantId), eq(deliveries.id, p.deliveryId)))
      .for("update", { of: deliveries });
    const row = rows[0];
    if (!row) return { kind: "gone" };
    const { d, rule } = row;
    if (!["pending", "sending", "retrying"].includes(d.status)) return { kind: "finished" };
    if (d.status === "sending" && d.leaseUntil && d.leaseUntil > now)
      return { kind: "wait", until: d.leaseUntil };
    if (d.nextAttemptAt.getTime() > now.getTime() + 1000) return { kind: "wait", until: d.nextAttemptAt };
    if (!rule.enabled) {
      await db
        .update(deliveries)
        .set({
          status: "failed",
          lastError: `not sent: the rule was disabled (${rule.disabledReason ?? "by a user"})`,
          leaseUntil: null,
        })
        .where(and(eq(deliveries.tenantId, p.tenantId), eq(deliveries.id, d.id)));
      return { kind: "finished" };
    }
    let channel: Channel;
    try {
      channel = openChannel(deps.secretsKey, rule.id, rule.channel, rule.channelSecret);
    } catch {
      // retrying cannot help: the stored secret does not open under this SECRETS_KEY
      await db
        .update(deliveries)
        .set({
          status: "failed",
          lastError:
            "the channel's stored secret cannot be decrypted (was SECRETS_KEY changed?); set the channel again",
          leaseUntil: null,
        })
        .where(and(eq(deliveries.tenantId, p.tenantId), eq(deliveries.id, d.id)));
      return { kind: "finished" };
    }
    const attempt = d.attempts + 1;
    await db
      .update(deliveries)
      .set({ status: "sending", attempts: attempt, leaseUntil: new Date(now.getTime() + 2 * deps.timeoutMs) })
      .where(and(eq(deliveries.tenantId, p.tenantId), eq(deliveries.id, d.id)));
    return { kind: "send", attempt, channel, summary: d.summary, ruleId: rule.id };
  });
}

/** Record an attempt's outcome; after the last failed attempt, count it against the rule (and disable it). */
async function record(
  deps: DeliverDeps,
  p: NotifyDeliverPayload,
  c: Extract<Claim, { kind: "send" }>,
  o: SendOutcome,
  now: Date,
): Promise<DeliverResult> {
  return withTenant(deps.pool, p.tenantId, async (db) => {
    const where = and(eq(deliveries.tenantId, p.tenantId), eq(deliveries.id, p.deliveryId));
    const ruleWhere = and(eq(rules.tenantId, p.tenantId), eq(rules.id, c.ruleId));
    if (o.ok) {
      await db
        .update(deliveries)
        .set({ status: "sent", sentAt: now, responseCode: o.code, lastError: o.error, leaseUntil: null })
        .where(where);
      await db.update(rules).set({ consecutiveFailures: 0 }).where(ruleWhere);
      return { outcome: "done", status: "sent" };
    }
    if (o.retryable && c.attempt < deps.maxAttempts) {
      const wait = Math.max(backoffMs(c.attempt, deps.retryBaseMs), o.retryAfterMs ?? 0);
      const until = new Date(now.getTime() + wait);
      await db
        .update(deliveries)
        .set({
          status: "retrying",
          responseCode: o.code,
          lastError: o.error,
          leaseUntil: null,
          nextAttemptAt: until,
        })
        .where(where);
      return { outcome: "wait", until };
    }
    await db
      .update(deliveries)
      .set({ status: "failed", responseCode: o.code, lastError: o.error, leaseUntil: null })
      .where(where);
    const [rule] = await db
      .update(rules)
      .set({ consecutiveFailures: sql`${rules.consecutiveFailures} + 1` })
      .where(ruleWhere)
      .returning({ failures: rules.consecutiveFailures, enabled: rules.enabled, type: rules.channelType });
    if (rule?.enabled && rule.failures >= deps.disableAfterFailures) {
      const reason = disableReason(rule.type as ChannelType, rule.failures, o.error ?? "unknown error", now);
      await db
        .update(rules)
        .set({ enabled: false, disabledReason: reason, disabledAt: now })
        .where(ruleWhere);
      deps.logger.warn(
        { tenantId: p.tenantId, ruleId: c.ruleId, failures: rule.failures },
        "notification rule disabled",
      );
    }
    return { outcome: "done", status: "failed" };
  });
}

export function disableReason(type: ChannelType, failures: number, lastError: string, at: Date): string {
  return `disabled on ${at.toISOString()} after ${failures} failed deliveries in a row through its ${type} channel; the last error: ${lastError}. Fix the channel and set enabled to true.`;
}

/** One delivery job: claim, send once, record. Converges when run twice (a finished row is skipped). */
export async function deliver(deps: DeliverDeps, payload: NotifyDeliverPayload): Promise<DeliverResult> {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ tenantId: payload.tenantId, deliveryId: payload.deliveryId });
  const c = await claim(deps, payload, now());
  if (c.kind === "wait") return { outcome: "wait", until: c.until };
  if (c.kind !== "send") return { outcome: "done", status: c.kind };
  const o = await sendThrough(deps, c.channel, c.summary, payload.deliveryId);
  const result = await record(deps, payload, c, o, now());
  log.info(
    { ruleId: c.ruleId, channel: c.channel.type, attempt: c.attempt, ok: o.ok, code: o.code, error: o.error },
    o.ok ? "notification sent" : "notification attempt failed",
  );
  return result;
}
