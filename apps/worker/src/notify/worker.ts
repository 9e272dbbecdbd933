import type { SummaryDeps } from "@bulwark/notify";
import {
  type Config,
  createMailer,
  createNotifyQueue,
  type Logger,
  type Mailer,
  type NotifyQueue,
  type RedisClient,
  safeError,
} from "@bulwark/runtime";
import { JOBS } from "@bulwark/schema";
import { DelayedError, type Job, Worker } from "bullmq";
import type pg from "pg";
import { type DeliverDeps, deliver, parseDeliverPayload } from "./deliver.js";
import { parseTickPayload, settleWait, tick, tickOfJob } from "./tick.js";

export interface NotifyWorker {
  worker: Worker;
  queue: NotifyQueue;
  mailer: Mailer | null;
  summary: SummaryDeps;
}

export function summaryDeps(config: Config): SummaryDeps {
  return {
    publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
    silentAfterHours: config.NOTIFY_SILENT_AFTER_HOURS,
  };
}

/** Put the job back until `until` without spending an attempt (a retry's backoff, a lease, a settling period). */
async function waitUntil(job: Job, token: string | undefined, until: number): Promise<never> {
  await job.moveToDelayed(until, token);
  throw new DelayedError();
}

/**
 * The notification queue's worker: ticks (open a period's outbox row) and deliveries (send one, with
 * retries on the delivery's own schedule). Its own queue, so a burst of reports never delays a digest.
 */
export function startNotifyWorker(
  config: Config,
  pool: pg.Pool,
  connection: RedisClient,
  logger: Logger,
): NotifyWorker {
  const log = logger.child({ component: "notify" });
  const queue = createNotifyQueue(connection, config.QUEUE_PREFIX);
  const mailer = createMailer(config);
  const summary = summaryDeps(config);
  const deliverDeps: DeliverDeps = {
    pool,
    logger: log,
    mailer,
    allowPrivate: config.NOTIFY_ALLOW_PRIVATE_NETWORKS,
    timeoutMs: config.NOTIFY_SEND_TIMEOUT_MS,
    secretsKey: Buffer.from(config.SECRETS_KEY, "base64"),
    maxAttempts: config.NOTIFY_MAX_ATTEMPTS,
    retryBaseMs: config.NOTIFY_RETRY_BASE_MS,
    disableAfterFailures: config.NOTIFY_DISABLE_AFTER_FAILURES,
  };
  const worker = new Worker(
    JOBS.notifyDeliver.queue,
    async (job, token) => {
      if (job.name === JOBS.notifyTick.name) {
        const payload = parseTickPayload(job.data);
        const wait = settleWait(tickOfJob(job.id), new Date());
        if (wait > 0) return waitUntil(job, token, Date.now() + wait);
        return tick({ pool, queue, logger: log, summary }, payload);
      }
      if (job.name === JOBS.notifyDeliver.name) {
        const r = await deliver(deliverDeps, parseDeliverPayload(job.data));
        if (r.outcome === "wait") return waitUntil(job, token, r.until.getTime());
        return r.status;
      }
      throw new Error(`unknown notify job ${job.name}`);
    },
    {
      connection,
      prefix: config.QUEUE_PREFIX,
      concurrency: 4,
      lockDuration: config.WORKER_LOCK_MS,
      stalledInterval: config.WORKER_LOCK_MS,
    },
  );
  worker.on("failed", (job, err) => {
    if (job)
      log.error(
        { jobId: job.id, name: job.name, attemptsMade: job.attemptsMade, err: err.message },
        "notify job failed",
      );
  });
  worker.on("error", (err) => log.error({ err: safeError(err) }, "notify worker error"));
  return { worker, queue, mailer, summary };
}
