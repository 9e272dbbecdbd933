import { JOBS, type NormalizeReportPayload, normalizeReportPayload } from "@bulwark/schema";
import { Queue } from "bullmq";
import type { RedisClient } from "./redis.js";

export type ReportQueue = Queue<NormalizeReportPayload>;

/**
 * A BullMQ Queue re-emits its connection's errors; an EventEmitter 'error' nobody listens to crashes the
 * process, so every queue gets a listener (Redis being down is reported by readiness and the failing call).
 */
export function createReportQueue(
  connection: RedisClient,
  prefix: string,
  onError: (e: Error) => void = () => {},
): ReportQueue {
  const queue = new Queue<NormalizeReportPayload>(JOBS.normalizeReport.queue, { connection, prefix });
  queue.on("error", onError);
  return queue;
}

/** Enqueue through the catalog: validated payload, business-key job id (a repeated enqueue is a no-op). */
export async function enqueueNormalize(queue: ReportQueue, payload: NormalizeReportPayload): Promise<void> {
  const p = normalizeReportPayload.parse(payload);
  await queue.add(JOBS.normalizeReport.name, p, {
    ...JOBS.normalizeReport.options,
    jobId: JOBS.normalizeReport.jobId(p),
  });
}
