import {
  type Config,
  createAppPool,
  createRedis,
  createReportQueue,
  isUnavailableError,
  type Logger,
  pingDb,
  safeError,
} from "@bulwark/runtime";
import { JOBS, type NormalizeReportPayload } from "@bulwark/schema";
import { Worker } from "bullmq";
import { DependencyUnavailableError, normalizeReport, parsePayload } from "./jobs/normalize-report.js";
import { markFailed } from "./jobs/report-state.js";
import { sweep } from "./maintenance/sweep.js";
import { ScheduleRegistry } from "./schedules/registry.js";

export interface RunningWorker {
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
  const connection = createRedis(config.REDIS_URL, "worker");
  const prefix = config.QUEUE_PREFIX;
  const reportQueue = createReportQueue(connection, prefix);

  const reports = new Worker<NormalizeReportPayload>(
    JOBS.normalizeReport.queue,
    async (job) => {
      const payload = parsePayload(job.data);
      return normalizeReport({ pool, logger: log.child({ jobId: job.id }) }, payload);
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
    // a dependency that was down is not the report's fault: the report stays unfinished and the maintenance
    // sweep retries its job once the dependency is back, so it never ends `failed` for an outage
    const outage = err instanceof DependencyUnavailableError || err.name === DependencyUnavailableError.NAME;
    log.warn(
      { jobId: job.id, attemptsMade: job.attemptsMade, final, outage, err: safeError(err) },
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
  opts.schedules?.(schedules);
  schedules.start();
  const maintenance = new Worker(
    JOBS.maintenance.queue,
    async () => {
      try {
        return await sweep({
          pool,
          queue: reportQueue,
          logger: log,
          retentionDays: config.REPORT_RETENTION_DAYS,
          graceSeconds: config.SWEEP_GRACE_S,
        });
      } catch (e) {
        // the next scheduled sweep retries; keep the job's failure reason free of data
        throw isUnavailableError(e) ? new DependencyUnavailableError(e) : new Error(safeError(e).message);
      }
    },
    { connection, prefix, concurrency: 1 },
  );
  maintenance.on("error", (err) => log.error({ err: safeError(err) }, "maintenance worker error"));
  log.info({ concurrency: config.WORKER_CONCURRENCY, prefix }, "worker started");

  return {
    schedules,
    async ready() {
      const [database, redis] = await Promise.all([
        probe(() => pingDb(pool)),
        probe(() => connection.ping()),
      ]);
      return { ready: database === "ok" && redis === "ok", database, redis };
    },
    async close() {
      await schedules.close();
      const closing = Promise.all([reports.close(), maintenance.close()]);
      const timeout = new Promise<"timeout">((r) =>
        setTimeout(() => r("timeout"), SHUTDOWN_TIMEOUT_MS).unref(),
      );
      if ((await Promise.race([closing, timeout])) === "timeout") {
        log.warn("jobs still running at shutdown; they will be retried (stalled) by another worker");
        await Promise.all([reports.close(true), maintenance.close(true)]);
      }
      await reportQueue.close();
      connection.disconnect();
      await pool.end();
      log.info("worker stopped");
    },
  };
}
