import { owedPeriod } from "@bulwark/notify";
import { enqueueDelivery, type Logger, type NotifyQueue } from "@bulwark/runtime";
import { JOBS } from "@bulwark/schema";
import type pg from "pg";

export interface SyncDeps {
  pool: pg.Pool;
  queue: NotifyQueue;
  logger: Logger;
  now?: () => Date;
  /** a tick (or a delivery's next attempt) overdue by more than this is acted on; the regular job had its chance */
  graceMs?: number;
}

export interface SyncResult {
  schedulers: number;
  removed: number;
  missed: number;
  relayed: number;
}

interface ScheduledRule {
  tenant_id: string;
  id: string;
  cron: string;
  timezone: string;
  scheduled_from: Date;
  last_period_end: Date | null;
}

const SCHEDULER_PREFIX = JOBS.notifyTick.schedulerId("");

/**
 * Postgres is the source of truth for schedules. Every enabled rule gets its job scheduler (an upsert with
 * the same id and settings changes nothing), schedulers of rules deleted or disabled since go, a tick that
 * passed with no outbox row (Redis lost the schedule, or everything was down) is enqueued once under a job id
 * of its own, and owed deliveries whose job Redis no longer has are enqueued again. Every worker runs it;
 * each step is idempotent.
 */
export async function syncNotifications(deps: SyncDeps): Promise<SyncResult> {
  const now = deps.now?.() ?? new Date();
  const grace = deps.graceMs ?? 60_000;
  const rules = (await deps.pool.query<ScheduledRule>("SELECT * FROM bulwark_scheduled_rules()")).rows;
  const result: SyncResult = { schedulers: 0, removed: 0, missed: 0, relayed: 0 };
  const wanted = new Set<string>();
  for (const r of rules) {
    const schedulerId = JOBS.notifyTick.schedulerId(r.id);
    wanted.add(schedulerId);
    await deps.queue.upsertJobScheduler(
      schedulerId,
      { pattern: r.cron, tz: r.timezone },
      { name: JOBS.notifyTick.name, data: { tenantId: r.tenant_id, ruleId: r.id } },
    );
    result.schedulers++;
    const owed = owedPeriod(
      { cron: r.cron, timezone: r.timezone, scheduledFrom: r.scheduled_from },
      r.last_period_end,
      new Date(now.getTime() - grace),
    );
    if (owed) {
      await deps.queue.add(
        JOBS.notifyTick.name,
        { tenantId: r.tenant_id, ruleId: r.id, late: true },
        {
          jobId: JOBS.notifyTick.missedJobId(r.id, owed.end.getTime()),
          removeOnComplete: { age: 24 * 3600 },
          removeOnFail: { age: 7 * 24 * 3600 },
          attempts: 5,
          backoff: { type: "exponential", delay: 5_000 },
        },
      );
      result.missed++;
    }
  }
  for (const s of await deps.queue.getJobSchedulers(0, -1)) {
    const id = s.key;
    if (id.startsWith(SCHEDULER_PREFIX) && !wanted.has(id)) {
      await deps.queue.removeJobScheduler(id);
      result.removed++;
    }
  }
  const owed = (
    await deps.pool.query<{ tenant_id: string; id: string }>(
      "SELECT tenant_id, id FROM bulwark_unfinished_deliveries($1::interval, 1000)",
      [`${Math.round(grace / 1000)} seconds`],
    )
  ).rows;
  for (const d of owed) {
    const job = await deps.queue.getJob(
      JOBS.notifyDeliver.jobId({ tenantId: d.tenant_id, deliveryId: d.id }),
    );
    const state = job ? await job.getState() : "missing";
    if (state === "missing" || state === "unknown") {
      await enqueueDelivery(deps.queue, { tenantId: d.tenant_id, deliveryId: d.id });
      result.relayed++;
    } else if ((state === "failed" || state === "completed") && job) {
      // the job ended without the row being finished (e.g. its database write was lost): run it again
      await job.remove();
      await enqueueDelivery(deps.queue, { tenantId: d.tenant_id, deliveryId: d.id });
      result.relayed++;
    }
  }
  if (result.removed + result.missed + result.relayed > 0) deps.logger.info(result, "notification sync");
  return result;
}
