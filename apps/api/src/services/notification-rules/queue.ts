import { createNotifyQueue, enqueueDelivery, type NotifyQueue } from "@bulwark/runtime";
import type { AppDeps } from "../../env.js";

const queues = new WeakMap<AppDeps, NotifyQueue>();

/** The notification queue on the API's producer connection, made on first use. */
function notifyQueue(deps: AppDeps): NotifyQueue {
  let q = queues.get(deps);
  if (!q) {
    q = createNotifyQueue(deps.redis, deps.config.QUEUE_PREFIX);
    queues.set(deps, q);
  }
  return q;
}

/**
 * Enqueue a committed delivery. Best effort: when Redis is unavailable the row is still owed, and the
 * worker's notification sync relays it within a minute, so the request still answers 202.
 */
export async function enqueueAfterCommit(deps: AppDeps, tenantId: string, deliveryId: string): Promise<void> {
  await enqueueDelivery(notifyQueue(deps), { tenantId, deliveryId }).catch((e: unknown) =>
    deps.logger.warn(
      { deliveryId, err: (e as Error).message },
      "delivery enqueue failed; the sync relays it",
    ),
  );
}

export async function closeNotifyQueue(deps: AppDeps): Promise<void> {
  await queues.get(deps)?.close();
  queues.delete(deps);
}
