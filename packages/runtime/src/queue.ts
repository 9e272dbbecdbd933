import { JOBS, type NormalizeReportPayload, normalizeReportPayload } from "@bulwark/schema";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";

export type ReportQueue = Queue<NormalizeReportPayload>;

export function createReportQueue(connection: Redis, prefix: string): ReportQueue {
  return new Queue<NormalizeReportPayload>(JOBS.normalizeReport.queue, { connection, prefix });
}

/** Enqueue through the catalog: validated payload, business-key job id (a repeated enqueue is a no-op). */
export async function enqueueNormalize(queue: ReportQueue, payload: NormalizeReportPayload): Promise<void> {
  const p = normalizeReportPayload.parse(payload);
  await queue.add(JOBS.normalizeReport.name, p, {
    ...JOBS.normalizeReport.options,
    jobId: JOBS.normalizeReport.jobId(p),
  });
}
