import { openScheduledPeriod, SETTLE_MS, type SummaryDeps } from "@bulwark/notify";
import { enqueueDelivery, type Logger, type NotifyQueue, withTenant } from "@bulwark/runtime";
import { type NotifyTickPayload, notifyTickPayload } from "@bulwark/schema";
import { UnrecoverableError } from "bullmq";
import type pg from "pg";

export interface TickDeps {
  pool: pg.Pool;
  queue: NotifyQueue;
  logger: Logger;
  summary: SummaryDeps;
  now?: () => Date;
}

export function parseTickPayload(data: unknown): NotifyTickPayload {
  const p = notifyTickPayload.safeParse(data);
  if (!p.success) throw new UnrecoverableError(`invalid notify-tick payload: ${p.error.message}`);
  return p.data;
}

/**
 * The tick a job stands for: a job scheduler's job id ends in its tick's milliseconds
 * (`repeat:<scheduler>:<ms>`), a missed tick's too (`notify-missed-<rule>-<ms>`).
 */
export function tickOfJob(jobId: string | undefined): number | null {
  const m = /[:-](\d{12,})$/.exec(jobId ?? "");
  return m?.[1] ? Number(m[1]) : null;
}

/** How long to hold a tick so the period it ends has settled (see SETTLE_MS); 0 when it has. */
export function settleWait(tickMs: number | null, now: Date): number {
  if (tickMs === null) return 0;
  return Math.max(0, tickMs + SETTLE_MS - now.getTime());
}

/**
 * A rule's tick: write the owed period's outbox row (with its summary) in one tenant transaction, then
 * enqueue its delivery. Any number of workers, scheduler jobs and missed-tick jobs may run this for one
 * period: the row is written once (rule lock + unique (rule, period start)), and a later run finds nothing
 * owed. A failure before commit leaves nothing behind and the job is retried.
 */
export async function tick(deps: TickDeps, payload: NotifyTickPayload): Promise<string | null> {
  const now = deps.now?.() ?? new Date();
  const opened = await withTenant(deps.pool, payload.tenantId, (db, client) =>
    openScheduledPeriod(db, client, payload.tenantId, payload.ruleId, now, deps.summary),
  );
  if (!opened) return null;
  const log = deps.logger.child({
    tenantId: payload.tenantId,
    ruleId: payload.ruleId,
    deliveryId: opened.id,
  });
  log.info(
    {
      periodStart: opened.period.start.toISOString(),
      periodEnd: opened.period.end.toISOString(),
      late: opened.period.late,
      ticks: opened.period.ticks,
      status: opened.status,
    },
    "notification period opened",
  );
  if (opened.status === "pending") {
    // after commit; if this enqueue is lost, the sync relays the row
    await enqueueDelivery(deps.queue, { tenantId: payload.tenantId, deliveryId: opened.id });
  }
  return opened.id;
}
