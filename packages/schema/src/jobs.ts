import { z } from "zod";

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
} as const;

export const QUEUE_NAMES = [JOBS.normalizeReport.queue, JOBS.maintenance.queue] as const;
