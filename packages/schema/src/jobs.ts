import { z } from "zod";
import { type NotifyDeliverPayload, notifyDeliverPayload, notifyTickPayload } from "./notify.js";

/**
 * The job catalog: every job's name, queue, payload schema and default options. Producers enqueue through it
 * and workers validate every payload against it. Payloads carry ids only, never report bodies or secrets.
 */
export const normalizeReportPayload = z
  .object({ tenantId: z.string().min(1), reportId: z.string().min(1) })
  .strict();
export type NormalizeReportPayload = z.infer<typeof normalizeReportPayload>;

export const maintenancePayload = z.object({}).strict();

export const JOBS = {
  normalizeReport: {
    queue: "reports",
    name: "normalize-report",
    payload: normalizeReportPayload,
    /** Business-key job id: a retried enqueue of the same report is a no-op. */
    jobId: (p: NormalizeReportPayload) => `report-${p.reportId}`,
    options: {
      attempts: 5,
      backoff: { type: "exponential", delay: 2_000 },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  },
  maintenance: {
    queue: "maintenance",
    name: "sweep",
    payload: maintenancePayload,
    /** Stable scheduler id: upserted by every worker at start, so exactly one schedule exists. */
    schedulerId: "maintenance-sweep",
    everyMs: 15_000,
  },
  postureDay: {
    queue: "maintenance",
    name: "posture-day",
    payload: maintenancePayload,
    /**
     * Keeps one posture point per cluster and UTC day even when nothing arrives: refreshes today's points,
     * carries the last point over days the system missed, backfills clusters that predate the history.
     */
    schedulerId: "posture-day",
    everyMs: 15 * 60_000,
  },
  notifySync: {
    queue: "maintenance",
    name: "notify-sync",
    payload: maintenancePayload,
    /**
     * Postgres is the source of truth for schedules: every enabled rule gets its job scheduler (created or
     * updated), schedulers of deleted or disabled rules go, a tick that passed with no outbox row (Redis lost
     * its schedule, or everything was down) is enqueued once, and deliveries whose job is gone are enqueued
     * again.
     */
    schedulerId: "notify-sync",
    everyMs: 30_000,
  },
  notifyTick: {
    queue: "notify",
    name: "notify-tick",
    payload: notifyTickPayload,
    /** one job scheduler per rule (cron pattern + IANA zone), its id derived from the rule id */
    schedulerId: (ruleId: string) => `notify-rule-${ruleId}`,
    /** a tick the sync found missed: one job per rule and tick, however many workers find it */
    missedJobId: (ruleId: string, tickMs: number) => `notify-missed-${ruleId}-${tickMs}`,
  },
  notifyDeliver: {
    queue: "notify",
    name: "notify-deliver",
    payload: notifyDeliverPayload,
    /** Business-key job id: enqueuing a delivery twice (after commit, and by the relay) is a no-op. */
    jobId: (p: NotifyDeliverPayload) => `delivery-${p.deliveryId}`,
    /** channel failures are retried on the delivery's own schedule (moved to delayed, not failed); these
     * attempts only cover the worker's own infrastructure (the database briefly away) */
    options: {
      attempts: 5,
      backoff: { type: "exponential", delay: 5_000 },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  },
} as const;

export const QUEUE_NAMES = [
  JOBS.normalizeReport.queue,
  JOBS.maintenance.queue,
  JOBS.notifyTick.queue,
] as const;
