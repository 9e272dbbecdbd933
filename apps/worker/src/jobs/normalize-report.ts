import type { SummaryDeps } from "@bulwark/notify";
import {
  enqueueDelivery,
  type Logger,
  type NotifyQueue,
  type ObjectStore,
  withTenant,
} from "@bulwark/runtime";
import { type NormalizeReportPayload, normalizeReportPayload, SOURCES, type Source } from "@bulwark/schema";
import { UnrecoverableError } from "bullmq";
import type pg from "pg";
import { PARSERS } from "../parsers/index.js";
import { NotStreamableError } from "../parsers/trivy/stream.js";
import { type Parser, ReportParseError } from "../parsers/types.js";
import { PayloadReadError } from "../stream/read-report.js";
import { type AppliedReport, applyReport } from "./apply-report.js";
import { DependencyUnavailableError, jobError } from "./errors.js";
import { openPayload } from "./payload-source.js";
import { olderUnfinishedReport } from "./report-context.js";
import { claimReport, type LoadedReport, markFailed } from "./report-state.js";

export { keepOpenOf } from "./keep-open.js";

export interface NormalizeDeps {
  pool: pg.Pool;
  logger: Logger;
  /** instant alerts: written with the snapshot, enqueued after its commit */
  notify?: { queue: NotifyQueue; summary: SummaryDeps };
  /** REPORT_ORDER_WAIT_MS: how long a report waits for an older unfinished one of its scope (0: never) */
  orderWaitMs?: number;
  /** where payloads are with OBJECT_STORE_URL (null/undefined: only bytea payloads can be read) */
  objectStore?: ObjectStore | null;
}

export interface NormalizeResult {
  outcome: "done" | "superseded" | "failed" | "skipped" | "waiting";
  findings?: number;
  /** with `waiting`: the older unfinished report of the same scope this one waits for */
  waitingFor?: string;
  timings?: Record<string, number>;
}

export { DependencyUnavailableError };

export function parsePayload(data: unknown): NormalizeReportPayload {
  const p = normalizeReportPayload.safeParse(data);
  // a malformed payload will never succeed: do not let the queue retry it
  if (!p.success) throw new UnrecoverableError(`invalid normalize-report payload: ${p.error.message}`);
  return p.data;
}

/**
 * Parse a stored report and apply it as a snapshot. Converges when run twice: a finished report is skipped,
 * and the snapshot is applied in one transaction together with the report's `done` status.
 * Content that cannot be parsed ends the report `failed` with a readable error and changes no finding;
 * infrastructure errors throw so the queue retries (and the maintenance sweep re-enqueues if Redis lost it).
 */
export async function normalizeReport(
  deps: NormalizeDeps,
  payload: NormalizeReportPayload,
): Promise<NormalizeResult> {
  try {
    return await normalize(deps, payload);
  } catch (e) {
    throw jobError(e);
  }
}

/** The payload is gone (retention): the report cannot be read again. */
class PayloadGoneError extends Error {}

async function normalize(deps: NormalizeDeps, payload: NormalizeReportPayload): Promise<NormalizeResult> {
  const { pool } = deps;
  const log = deps.logger.child({ tenantId: payload.tenantId, reportId: payload.reportId });
  // snapshots of one scope apply in collectedAt order: wait (unclaimed) while an older one is unfinished
  const older = await olderUnfinishedReport(pool, payload.tenantId, payload.reportId, deps.orderWaitMs ?? 0);
  if (older) {
    log.debug({ waitingFor: older }, "an older report of the same scope is unfinished; waiting for it");
    return { outcome: "waiting", waitingFor: older };
  }
  const report = await claimReport(pool, payload.tenantId, payload.reportId);
  if (!report) {
    log.info("report already finished or absent; nothing to do");
    return { outcome: "skipped" };
  }
  const t0 = performance.now();
  const fail = async (error: string): Promise<NormalizeResult> => {
    await markFailed(pool, report.tenantId, report.id, error);
    log.warn({ error }, "report failed");
    return { outcome: "failed" };
  };
  if (!report.payloadInDb && !report.payloadKey)
    return fail("the raw payload is no longer stored (retention period passed)");
  const source = report.source as Source;
  if (!SOURCES.includes(source) || !PARSERS[source])
    return fail(`reports of source '${report.source}' are accepted but not normalized yet`);

  let applied: AppliedReport;
  try {
    try {
      applied = await apply(deps, report, log, true);
    } catch (e) {
      // not the trivy k8s shape after all: read it again, whole
      if (!(e instanceof NotStreamableError)) throw e;
      applied = await apply(deps, report, log, false);
    }
  } catch (e) {
    if (e instanceof PayloadGoneError)
      return fail("the raw payload is no longer stored (retention period passed)");
    if (e instanceof PayloadReadError) return fail(`stored payload could not be read: ${e.message}`);
    if (e instanceof ReportParseError) return fail(`the ${source} report could not be parsed: ${e.message}`);
    throw e;
  }
  const notifyQueue = deps.notify?.queue;
  for (const deliveryId of notifyQueue ? applied.alerts : []) {
    // the outbox row is committed: a lost enqueue is relayed by the notification sync
    await enqueueDelivery(notifyQueue as NotifyQueue, { tenantId: report.tenantId, deliveryId }).catch(
      (e: unknown) =>
        log.warn({ deliveryId, err: (e as Error).message }, "alert enqueue failed; the sync relays it"),
    );
  }
  const totalMs = performance.now() - t0;
  if (applied.kind === "superseded") {
    log.info(
      { supersededBy: applied.supersededBy },
      "older snapshot than one already applied: no finding changed",
    );
    return { outcome: "superseded", findings: applied.stats.findings };
  }
  const timings = { totalMs, ...applied.timings };
  log.info({ stats: applied.stats, warnings: applied.skipped?.count ?? 0, ...timings }, "report applied");
  return { outcome: "done", findings: applied.stats.findings, timings };
}

async function apply(
  deps: NormalizeDeps,
  report: LoadedReport,
  log: Logger,
  stream: boolean,
): Promise<AppliedReport> {
  const source = report.source as Source;
  const stored = await openPayload(deps.pool, report, deps.objectStore);
  if (!stored) throw new PayloadGoneError();
  try {
    return await withTenant(deps.pool, report.tenantId, (db, client) =>
      applyReport(db, client, {
        target: {
          tenantId: report.tenantId,
          clusterId: report.clusterId,
          source,
          reportId: report.id,
          collectedAt: report.collectedAt,
          scopeKey: report.scopeKey,
          namespaces: report.scope?.namespaces ?? null,
          clusterScoped: report.scope?.clusterScoped === true,
          excludeNamespaces: report.scope?.excludeNamespaces ?? null,
        },
        source,
        // checked by normalize() before: a source with a parser
        parser: PARSERS[source] as Parser,
        payload: stored,
        stream,
        scoped: Boolean(report.scope),
        ...(deps.notify ? { notify: deps.notify.summary } : {}),
        log,
      }),
    );
  } finally {
    stored.destroy();
  }
}
