import { JOBS, type NotifyDeliverPayload, notifyDeliverPayload } from "@bulwark/schema";
import { Queue } from "bullmq";
import type { RedisClient } from "./redis.js";

/** The notification queue: rule ticks (from per-rule job schedulers) and deliveries. */
export type NotifyQueue = Queue;

export function createNotifyQueue(
  connection: RedisClient,
  prefix: string,
  onError: (e: Error) => void = () => {},
): NotifyQueue {
  const queue = new Queue(JOBS.notifyDeliver.queue, { connection, prefix });
  // a Redis outage is reported by readiness and by the failing call, never as an unhandled 'error' event
  queue.on("error", onError);
  return queue;
}

/**
 * Enqueue a committed outbox row for sending. The job id is the delivery's, so the enqueue after commit and
 * the sync's relay of rows whose job Redis lost never make two jobs.
 */
export async function enqueueDelivery(queue: NotifyQueue, payload: NotifyDeliverPayload): Promise<void> {
  const p = notifyDeliverPayload.parse(payload);
  await queue.add(JOBS.notifyDeliver.name, p, {
    ...JOBS.notifyDeliver.options,
    jobId: JOBS.notifyDeliver.jobId(p),
  });
}
