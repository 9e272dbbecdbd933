import { type Config, createAppPool, createRedis, createReportQueue, type Logger } from "@bulwark/runtime";
import { JOBS, type NormalizeReportPayload } from "@bulwark/schema";
import { Queue, Worker } from "bullmq";
import { normalizeReport, parsePayload } from "./jobs/normalize-report.js";
import { reportContext } from "./jobs/report-context.js";
import { markFailed } from "./jobs/report-state.js";
import { sweep } from "./maintenance/sweep.js";
import { createWorkerMetrics } from "./ops/metrics.js";
import { startOpsServer } from "./ops/server.js";
import { closePostureDays } from "./posture/close-day.js";

export interface RunningWorker {
  /** the worker's /healthz, /readyz and /metrics (METRICS_PORT) */
  opsUrl: string;
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

  const maintenanceQueue = new Queue(JOBS.maintenance.queue, { connection, prefix });
  const metrics = createWorkerMetrics([reportQueue, maintenanceQueue]);
  const reportsQueue = JOBS.normalizeReport.queue;
  // the request id of each job in flight, for the 'failed' handler's log line
  const requestIds = new Map<string, string | null>();

  const reports = new Worker<NormalizeReportPayload>(
    reportsQueue,
    async (job) => {
      const payload = parsePayload(job.data);
      const report = await reportContext(pool, payload.tenantId, payload.reportId);
      if (job.id) requestIds.set(job.id, report?.requestId ?? null);
      const jobLog = log.child({ jobId: job.id, requestId: report?.requestId ?? null });
      const done = metrics.jobDuration.startTimer({ queue: reportsQueue });
      try {
        const result = await normalizeReport({ pool, logger: jobLog }, payload);
        done({ outcome: result.outcome });
        metrics.jobs.inc({ queue: reportsQueue, outcome: result.outcome });
        if (report && result.outcome !== "skipped") {
          metrics.reports.inc({ source: report.source, outcome: result.outcome });
          if (result.outcome === "failed") metrics.parseErrors.inc({ source: report.source });
        }
        if (job.id) requestIds.delete(job.id);
        return result;
      } catch (e) {
        done({ outcome: "error" });
        metrics.jobs.inc({ queue: reportsQueue, outcome: "error" });
        throw e;
      }
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
    metrics.jobFailures.inc({ queue: reportsQueue, final: String(final) });
    const requestId = job.id ? requestIds.get(job.id) : undefined;
    if (job.id) requestIds.delete(job.id);
    log.error(
      {
        jobId: job.id,
        requestId: requestId ?? null,
        attemptsMade: job.attemptsMade,
        final,
        err: err.message,
      },
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
  const maintenance = new Worker(
    JOBS.maintenance.queue,
    async (job) => {
      const done = metrics.jobDuration.startTimer({ queue: JOBS.maintenance.queue });
      try {
        const r =
          job.name === JOBS.postureDay.name
            ? await closePostureDays({ pool, logger: log, historyDays: config.POSTURE_HISTORY_DAYS })
            : await sweep({
                pool,
                queue: reportQueue,
                logger: log,
                retentionDays: config.REPORT_RETENTION_DAYS,
                auditRetentionDays: config.AUDIT_RETENTION_DAYS,
                sessionIdleMinutes: config.SESSION_IDLE_MINUTES,
              });
        done({ outcome: "done" });
        metrics.jobs.inc({ queue: JOBS.maintenance.queue, outcome: "done" });
        return r;
      } catch (e) {
        done({ outcome: "error" });
        metrics.jobs.inc({ queue: JOBS.maintenance.queue, outcome: "error" });
        throw e;
      }
    },
    { connection, prefix, concurrency: 1 },
  );
  maintenance.on("error", (err) => log.error({ err: err.message }, "maintenance worker error"));
  maintenance.on("failed", (job) => {
    if (job) metrics.jobFailures.inc({ queue: JOBS.maintenance.queue, final: "false" });
  });
  let ops: Awaited<ReturnType<typeof startOpsServer>>;
  try {
    ops = await startOpsServer({
      port: config.METRICS_PORT,
      host: config.HOST,
      pool,
      redis: connection,
      registry: metrics.registry,
    });
  } catch (e) {
    await Promise.all([reports.close(true), maintenance.close(true)]);
    await Promise.all([reportQueue.close(), maintenanceQueue.close()]);
    connection.disconnect();
    await pool.end();
    throw e;
  }
  log.info({ concurrency: config.WORKER_CONCURRENCY, prefix, ops: ops.url }, "worker started");

  return {
    opsUrl: ops.url,
    async close() {
      await ops.close();
      const closing = Promise.all([reports.close(), maintenance.close()]);
      const timeout = new Promise<"timeout">((r) =>
        setTimeout(() => r("timeout"), SHUTDOWN_TIMEOUT_MS).unref(),
      );
      if ((await Promise.race([closing, timeout])) === "timeout") {
        log.warn("jobs still running at shutdown; they will be retried (stalled) by another worker");
        await Promise.all([reports.close(true), maintenance.close(true)]);
      }
      await Promise.all([reportQueue.close(), maintenanceQueue.close()]);
      connection.disconnect();
      await pool.end();
      log.info("worker stopped");
    },
  };
}
