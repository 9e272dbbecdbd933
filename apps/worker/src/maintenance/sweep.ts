import { enqueueNormalize, type Logger, type ObjectStore, type ReportQueue } from "@bulwark/runtime";
import { JOBS } from "@bulwark/schema";
import type pg from "pg";
import { recordLapsedSuppressions } from "./lapsed-suppressions.js";
import { purgePayloadObjects } from "./payload-objects.js";

/**
 * A report younger than this is left alone: the API enqueues right after its commit (within 2 s or gives up).
 * With the sweep every 15 s, a report whose job Redis lost is enqueued again at most grace + period after
 * Redis answers again (plus SCHEDULE_CHECK_MS when Redis came back empty and the schedule had to be re-made).
 */
export const SWEEP_GRACE_S = 15;

export interface SweepDeps {
  pool: pg.Pool;
  queue: ReportQueue;
  logger: Logger;
  retentionDays: number;
  /** where payloads go with OBJECT_STORE_URL: retention deletes their objects too */
  objectStore?: ObjectStore | null;
  /** audit entries older than this go (the database never deletes younger than 30 days) */
  auditRetentionDays?: number;
  /** sessions unused for this long (or past their absolute expiry) are deleted */
  sessionIdleMinutes?: number;
  /** reports unfinished for longer than this are checked against the queue */
  graceSeconds?: number;
}

export interface SweepResult {
  requeued: number;
  retried: number;
  noncesPurged: number;
  payloadsPurged: number;
  /** open findings whose suppression lapsed, recorded as unsuppressed */
  unsuppressed: number;
  auditPurged: number;
  sessionsPurged: number;
}

/**
 * The safety net behind "nothing accepted is lost": a report row is committed before its job is enqueued,
 * and Redis may lose jobs (no persistence, a restart, an enqueue that failed after the 202). Every report still
 * queued or processing after a grace period is matched against its job: missing → enqueued again,
 * failed in BullMQ but not recorded as failed in Postgres → retried. Enqueues use the business-key job id, so
 * concurrent sweeps by several workers are harmless. Also purges expired nonces, raw payloads past retention
 * (bytea and object store),
 * audit entries past AUDIT_RETENTION_DAYS and ended sessions.
 */
export async function sweep(deps: SweepDeps): Promise<SweepResult> {
  const { pool, queue } = deps;
  const grace = `${deps.graceSeconds ?? SWEEP_GRACE_S} seconds`;
  const client = await pool.connect();
  let rows: { tenant_id: string; id: string }[];
  let noncesPurged = 0;
  let payloadsPurged = 0;
  let auditPurged = 0;
  let sessionsPurged = 0;
  try {
    rows = (
      await client.query("SELECT tenant_id, id FROM bulwark_unfinished_reports($1::interval, 1000)", [grace])
    ).rows;
    noncesPurged = (await client.query<{ n: number }>("SELECT bulwark_purge_nonces() AS n")).rows[0]?.n ?? 0;
    payloadsPurged =
      (
        await client.query<{ n: number }>("SELECT bulwark_purge_payloads($1::interval) AS n", [
          `${deps.retentionDays} days`,
        ])
      ).rows[0]?.n ?? 0;
    auditPurged =
      (
        await client.query<{ n: number }>("SELECT bulwark_purge_audit_log($1::interval) AS n", [
          `${deps.auditRetentionDays ?? 365} days`,
        ])
      ).rows[0]?.n ?? 0;
    sessionsPurged =
      (
        await client.query<{ n: number }>("SELECT bulwark_purge_sessions($1::interval) AS n", [
          `${deps.sessionIdleMinutes ?? 60} minutes`,
        ])
      ).rows[0]?.n ?? 0;
  } finally {
    client.release();
  }
  let requeued = 0;
  let retried = 0;
  for (const r of rows) {
    const job = await queue.getJob(JOBS.normalizeReport.jobId({ tenantId: r.tenant_id, reportId: r.id }));
    const state = job ? await job.getState() : "missing";
    if (state === "missing" || state === "unknown") {
      await enqueueNormalize(queue, { tenantId: r.tenant_id, reportId: r.id });
      requeued++;
    } else if (state === "failed" && job) {
      // fresh attempts (and backoff) for a job that ran out of them while a dependency was down
      await job.retry("failed", { resetAttemptsMade: true });
      retried++;
    } else if (state === "completed" && job) {
      // completed in Redis but the row never got its outcome (e.g. the DB write was lost): run it again
      await job.remove();
      await enqueueNormalize(queue, { tenantId: r.tenant_id, reportId: r.id });
      requeued++;
    }
  }
  // payloads in the object store (their reports hold only the key): retention applies to both stores
  if (deps.objectStore)
    payloadsPurged += await purgePayloadObjects(pool, deps.objectStore, deps.retentionDays);
  const unsuppressed = await recordLapsedSuppressions(pool);
  const result = {
    requeued,
    retried,
    noncesPurged,
    payloadsPurged,
    auditPurged,
    sessionsPurged,
    unsuppressed,
  };
  if (Object.values(result).some((n) => n > 0)) deps.logger.info(result, "maintenance sweep");
  return result;
}
