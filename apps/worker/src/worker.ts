import {
  type Config,
  createAppPool,
  createObjectStore,
  createRedis,
  createReportQueue,
  isUnavailableError,
  type Logger,
  pingDb,
  safeError,
} from "@bulwark/runtime";
import { JOBS, type NormalizeReportPayload } from "@bulwark/schema";
import { DelayedError, Queue, Worker } from "bullmq";
import { DependencyUnavailableError, normalizeReport, parsePayload } from "./jobs/normalize-report.js";
import { reportContext } from "./jobs/report-context.js";
import { markFailed } from "./jobs/report-state.js";
import { sweep } from "./maintenance/sweep.js";
import { syncNotifications } from "./notify/sync.js";
import { startNotifyWorker } from "./notify/worker.js";
import { createWorkerMetrics } from "./ops/metrics.js";
import { startOpsServer } from "./ops/server.js";
import { closePostureDays } from "./posture/close-day.js";
import { ScheduleRegistry } from "./schedules/registry.js";

export interface RunningWorker {
  /** the worker's /healthz, /readyz and /metrics (METRICS_PORT) */
  opsUrl: string;
  /** the schedules this worker keeps in existence; features register theirs before startWorker returns */
  schedules: ScheduleRegistry;
  /** Postgres and Redis both answer (for a health endpoint); never throws */
  ready(): Promise<{ ready: boolean; database: string; redis: string }>;
  close(): Promise<void>;
}

const SHUTDOWN_TIMEOUT_MS = 20_000; // shorter than the pod's 30 s termination grace period
const PROBE_TIMEOUT_MS = 2_000;

async function probe(fn: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)),
          PROBE_TIMEOUT_MS,
        );
      }),
    ]);
    return "ok";
  } catch (e) {
    return `failed: ${safeError(e).message}`;
  } finally {
    clearTimeout(timer);
  }
}

export interface StartWorkerOptions {
  /** extra schedules (e.g. notification summaries) kept alive beside the maintenance sweep */
  schedules?: (registry: ScheduleRegistry) => void;
}

/** how soon a report waiting for an older one of its scope is checked again */
const ORDER_RECHECK_MS = 2_000;

/** Start the normalization and maintenance workers. Never waits for Redis or Postgres to be up. */
export async function startWorker(
  config: Config,
  logger: Logger,
  opts: StartWorkerOptions = {},
): Promise<RunningWorker> {
  const log = logger.child({ component: "worker" });
  const pool = createAppPool(config.DATABASE_URL, {
    max: config.WORKER_CONCURRENCY + 2,
    applicationName: "bulwark-worker",
  });
  const connection = createRedis(config.REDIS_URL, "worker", { cluster: config.REDIS_CLUSTER });
  // raw payloads in S3-compatible storage when OBJECT_STORE_URL is set; null: the bytea column only
  const objectStore = createObjectStore(config);
  const prefix = config.QUEUE_PREFIX;
  const reportQueue = createReportQueue(connection, prefix);
  const notify = startNotifyWorker(config, pool, connection, log);

  // read by the metrics at scrape time (queue depth); the schedules themselves are kept by the registry
  const maintenanceQueue = new Queue(JOBS.maintenance.queue, { connection, prefix });
  maintenanceQueue.on("error", () => {}); // reported through readiness, never as an unhandled event
  const metrics = createWorkerMetrics([reportQueue, maintenanceQueue]);
  const reportsQueue = JOBS.normalizeReport.queue;
  // the request id of each job in flight, for the 'failed' handler's log line
  const requestIds = new Map<string, string | null>();

  const reports = new Worker<NormalizeReportPayload>(
    reportsQueue,
    async (job, token) => {
      const payload = parsePayload(job.data);
      const report = await reportContext(pool, payload.tenantId, payload.reportId);
      if (job.id) requestIds.set(job.id, report?.requestId ?? null);
      const jobLog = log.child({ jobId: job.id, requestId: report?.requestId ?? null });
      const done = metrics.jobDuration.startTimer({ queue: reportsQueue });
      try {
        const result = await normalizeReport(
          {
            pool,
            logger: jobLog,
            notify: { queue: notify.queue, summary: notify.summary },
            orderWaitMs: config.REPORT_ORDER_WAIT_MS,
            objectStore,
          },
          payload,
        );
        if (result.outcome === "waiting") {
          // not an attempt: back to the delayed set, checked again shortly
          if (job.id) requestIds.delete(job.id);
          await job.moveToDelayed(Date.now() + ORDER_RECHECK_MS, token);
          throw new DelayedError();
        }
        done({ outcome: result.outcome });
        metrics.jobs.inc({ queue: reportsQueue, outcome: result.outcome });
        if (report && result.outcome !== "skipped") {
          metrics.reports.inc({ source: report.source, outcome: result.outcome });
          if (result.outcome === "failed") metrics.parseErrors.inc({ source: report.source });
        }
        if (job.id) requestIds.delete(job.id);
        return result;
      } catch (e) {
        if (e instanceof DelayedError) {
          done({ outcome: "waiting" });
          metrics.jobs.inc({ queue: reportsQueue, outcome: "waiting" });
          throw e;
        }
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
    // a dependency that was down is not the report's fault: the report stays unfinished and the maintenance
    // sweep retries its job once the dependency is back, so it never ends `failed` for an outage
    const outage = err instanceof DependencyUnavailableError || err.name === DependencyUnavailableError.NAME;
    log.warn(
      {
        jobId: job.id,
        requestId: requestId ?? null,
        attemptsMade: job.attemptsMade,
        final,
        outage,
        err: safeError(err),
      },
      "normalize job failed",
    );
    if (final && !outage && job.data?.tenantId && job.data?.reportId) {
      // record the terminal failure where tenants can read it; if Postgres is down too, the sweep retries later
      markFailed(
        pool,
        job.data.tenantId,
        job.data.reportId,
        `processing failed: ${safeError(err).message}`,
      ).catch(() => {});
    }
  });
  reports.on("error", (err) => log.error({ err: safeError(err) }, "report worker error"));

  const schedules = new ScheduleRegistry(connection, prefix, log);
  schedules.register({
    queue: JOBS.maintenance.queue,
    schedulerId: JOBS.maintenance.schedulerId,
    every: config.MAINTENANCE_INTERVAL_MS,
    job: { name: JOBS.maintenance.name, data: {} },
  });
  schedules.register({
    queue: JOBS.postureDay.queue,
    schedulerId: JOBS.postureDay.schedulerId,
    every: JOBS.postureDay.everyMs,
    job: { name: JOBS.postureDay.name, data: {} },
  });
  schedules.register({
    queue: JOBS.notifySync.queue,
    schedulerId: JOBS.notifySync.schedulerId,
    every: JOBS.notifySync.everyMs,
    job: { name: JOBS.notifySync.name, data: {} },
  });
  opts.schedules?.(schedules);
  schedules.start();
  const maintenance = new Worker(
    JOBS.maintenance.queue,
    async (job) => {
      const done = metrics.jobDuration.startTimer({ queue: JOBS.maintenance.queue });
      try {
        const r =
          job.name === JOBS.postureDay.name
            ? await closePostureDays({ pool, logger: log, historyDays: config.POSTURE_HISTORY_DAYS })
            : job.name === JOBS.notifySync.name
              ? await syncNotifications({ pool, queue: notify.queue, logger: log })
              : await sweep({
                  pool,
                  queue: reportQueue,
                  logger: log,
                  retentionDays: config.REPORT_RETENTION_DAYS,
                  objectStore,
                  graceSeconds: config.SWEEP_GRACE_S,
                  auditRetentionDays: config.AUDIT_RETENTION_DAYS,
                  sessionIdleMinutes: config.SESSION_IDLE_MINUTES,
                });
        done({ outcome: "done" });
        metrics.jobs.inc({ queue: JOBS.maintenance.queue, outcome: "done" });
        return r;
      } catch (e) {
        done({ outcome: "error" });
        metrics.jobs.inc({ queue: JOBS.maintenance.queue, outcome: "error" });
        // the next scheduled run retries; keep the job's failure reason free of data
        throw isUnavailableError(e) ? new DependencyUnavailableError(e) : new Error(safeError(e).message);
      }
    },
    { connection, prefix, concurrency: 1 },
  );
  maintenance.on("error", (err) => log.error({ err: safeError(err) }, "maintenance worker error"));
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
    await schedules.close();
    await Promise.all([reports.close(true), maintenance.close(true), notify.worker.close(true)]);
    await Promise.all([reportQueue.close(), maintenanceQueue.close(), notify.queue.close()]);
    notify.mailer?.close();
    connection.disconnect();
    await pool.end();
    throw e;
  }
  log.info({ concurrency: config.WORKER_CONCURRENCY, prefix, ops: ops.url }, "worker started");

  return {
    opsUrl: ops.url,
    schedules,
    async ready() {
      const [database, redis] = await Promise.all([
        probe(() => pingDb(pool)),
        probe(() => connection.ping()),
      ]);
      return { ready: database === "ok" && redis === "ok", database, redis };
    },
    async close() {
      await ops.close();
      await schedules.close();
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
