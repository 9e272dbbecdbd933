import { type Config, createAppPool, createRedis, createReportQueue, type Logger } from "@bulwark/runtime";
import { JOBS, type NormalizeReportPayload } from "@bulwark/schema";
import { Queue, Worker } from "bullmq";
import { normalizeReport, parsePayload } from "./jobs/normalize-report.js";
import { markFailed } from "./jobs/report-state.js";
import { sweep } from "./maintenance/sweep.js";
import { syncNotifications } from "./notify/sync.js";
import { startNotifyWorker } from "./notify/worker.js";
import { closePostureDays } from "./posture/close-day.js";

export interface RunningWorker {
  close(): Promise<void>;
}

const SHUTDOWN_TIMEOUT_MS = 20_000; // shorter than the pod's 30 s termination grace period

/** Start the normalization and maintenance workers. */
export async function startWorker(config: Config, logger: Logger): Promise<RunningWorker> {
  const log = logger.child({ component: "worker" });
  const pool = createAppPool(config.DATABASE_URL, {
    max: config.WORKER_CONCURRENCY + 2,
    applicationName: "bulwark-worker",
  });
  const connection = createRedis(config.REDIS_URL, "worker");
  const prefix = config.QUEUE_PREFIX;
  const reportQueue = createReportQueue(connection, prefix);
  const notify = startNotifyWorker(config, pool, connection, log);

  const reports = new Worker<NormalizeReportPayload>(
    JOBS.normalizeReport.queue,
    async (job) => {
      const payload = parsePayload(job.data);
      return normalizeReport(
        {
          pool,
          logger: log.child({ jobId: job.id }),
          notify: { queue: notify.queue, summary: notify.summary },
        },
        payload,
      );
    },
    {
      connection,
      prefix,
      concurrency: config.WORKER_CONCURRENCY,
      lockDuration: config.WORKER_LOCK_MS,
      stalledInterval: config.WORKER_LOCK_MS,
    },
  );
  reports.on("failed", (job, err) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === "UnrecoverableError";
    log.error(
      { jobId: job.id, attemptsMade: job.attemptsMade, final, err: err.message },
      "normalize job failed",
    );
    if (final && job.data?.tenantId && job.data?.reportId) {
      // record the terminal failure where tenants can read it; if Postgres is down too, the sweep retries later
      markFailed(pool, job.data.tenantId, job.data.reportId, `processing failed: ${err.message}`).catch(
        () => {},
      );
    }
  });
  reports.on("error", (err) => log.error({ err: err.message }, "report worker error"));

  const maintenanceQueue = new Queue(JOBS.maintenance.queue, { connection, prefix });
  await maintenanceQueue.upsertJobScheduler(
    JOBS.maintenance.schedulerId,
    { every: JOBS.maintenance.everyMs },
    { name: JOBS.maintenance.name, data: {} },
  );
  await maintenanceQueue.upsertJobScheduler(
    JOBS.postureDay.schedulerId,
    { every: JOBS.postureDay.everyMs },
    { name: JOBS.postureDay.name, data: {} },
  );
  await maintenanceQueue.upsertJobScheduler(
    JOBS.notifySync.schedulerId,
    { every: JOBS.notifySync.everyMs },
    { name: JOBS.notifySync.name, data: {} },
  );
  const maintenance = new Worker(
    JOBS.maintenance.queue,
    async (job) => {
      if (job.name === JOBS.postureDay.name) {
        return closePostureDays({ pool, logger: log, historyDays: config.POSTURE_HISTORY_DAYS });
      }
      if (job.name === JOBS.notifySync.name) {
        return syncNotifications({ pool, queue: notify.queue, logger: log });
      }
      return sweep({ pool, queue: reportQueue, logger: log, retentionDays: config.REPORT_RETENTION_DAYS });
    },
    { connection, prefix, concurrency: 1 },
  );
  maintenance.on("error", (err) => log.error({ err: err.message }, "maintenance worker error"));
  log.info({ concurrency: config.WORKER_CONCURRENCY, prefix }, "worker started");

  return {
    async close() {
      const closing = Promise.all([reports.close(), maintenance.close(), notify.worker.close()]);
      const timeout = new Promise<"timeout">((r) =>
        setTimeout(() => r("timeout"), SHUTDOWN_TIMEOUT_MS).unref(),
      );
      if ((await Promise.race([closing, timeout])) === "timeout") {
        log.warn("jobs still running at shutdown; they will be retried (stalled) by another worker");
        await Promise.all([reports.close(true), maintenance.close(true), notify.worker.close(true)]);
      }
      await Promise.all([reportQueue.close(), maintenanceQueue.close(), notify.queue.close()]);
      notify.mailer?.close();
      connection.disconnect();
      await pool.end();
      log.info("worker stopped");
    },
  };
}
