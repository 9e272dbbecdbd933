import { buffer } from "node:stream/consumers";
import { gunzipSync } from "node:zlib";
import { openInstantAlerts, type SummaryDeps } from "@bulwark/notify";
import {
  enqueueDelivery,
  type Logger,
  type NotifyQueue,
  type ObjectStore,
  withTenant,
} from "@bulwark/runtime";
import {
  type ManifestEntry,
  type NormalizeReportPayload,
  normalizeReportPayload,
  SOURCES,
  type Source,
} from "@bulwark/schema";
import { UnrecoverableError } from "bullmq";
import type pg from "pg";
import { foldMeshInjected, MESH_CNI_RULE } from "../normalize/mesh-fold.js";
import { PARSERS } from "../parsers/index.js";
import type { KeepOpen, Skipped } from "../parsers/tolerance.js";
import { ReportParseError } from "../parsers/types.js";
import { applySnapshot } from "../snapshot/apply.js";
import { dedupeByFingerprint } from "../snapshot/rows.js";
import { DependencyUnavailableError, jobError } from "./errors.js";
import { writeSnapshotExtras } from "./extras.js";
import { openPayload } from "./payload-source.js";
import { olderUnfinishedReport } from "./report-context.js";
import { claimReport, markDone, markFailed } from "./report-state.js";

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

/**
 * What this snapshot must neither confirm nor resolve: rules it could not evaluate (an unreadable input) and
 * whatever a skipped entry might have produced. A skipped entry may also have been folded into the
 * sidecar-design finding, so that one is kept too.
 */
export function keepOpenOf(
  unevaluatedRuleIds: string[] | undefined,
  skipped: Skipped | undefined,
): KeepOpen[] {
  const keep: KeepOpen[] = (unevaluatedRuleIds ?? []).map((ruleId) => ({ ruleId }));
  if (skipped) keep.push(...skipped.keepOpen, { ruleId: MESH_CNI_RULE });
  return keep;
}

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
  const stored = await openPayload(report, deps.objectStore);
  if (!stored) return fail("the raw payload is no longer stored (retention period passed)");
  const gzipped = await buffer(stored);
  const source = report.source as Source;
  const parser = SOURCES.includes(source) ? PARSERS[source] : undefined;
  if (!parser) return fail(`reports of source '${report.source}' are accepted but not normalized yet`);

  let envelope: { report: unknown; manifest?: ManifestEntry[] };
  try {
    envelope = JSON.parse(gunzipSync(gzipped).toString("utf8"));
  } catch (e) {
    return fail(`stored payload could not be read: ${(e as Error).message}`);
  }
  let drafts: ReturnType<typeof parser>["findings"];
  let meta: ReturnType<typeof parser>["meta"];
  let unevaluatedRuleIds: string[] | undefined;
  let skipped: Skipped | undefined;
  try {
    const parsed = parser(envelope.report, {
      source,
      collectedAt: report.collectedAt,
      ...(envelope.manifest ? { manifest: envelope.manifest } : {}),
    });
    meta = parsed.meta;
    unevaluatedRuleIds = parsed.unevaluatedRuleIds;
    skipped = parsed.skipped;
    // findings that fire on istio-init / istio-proxy only because of the sidecar design become one per cluster
    drafts = foldMeshInjected(parsed.findings);
  } catch (e) {
    if (e instanceof ReportParseError) return fail(`the ${source} report could not be parsed: ${e.message}`);
    throw e;
  }
  const parseMs = performance.now() - t0;
  const rows = dedupeByFingerprint(source, drafts);

  let alerts: string[] = [];
  const outcome = await withTenant(pool, report.tenantId, async (db, client) => {
    const o = await applySnapshot(
      client,
      {
        tenantId: report.tenantId,
        clusterId: report.clusterId,
        source,
        reportId: report.id,
        collectedAt: report.collectedAt,
        scopeKey: report.scopeKey,
        namespaces: report.scope?.namespaces ?? null,
        clusterScoped: report.scope?.clusterScoped === true,
        excludeNamespaces: report.scope?.excludeNamespaces ?? null,
        keepOpen: [
          ...keepOpenOf(unevaluatedRuleIds, skipped),
          // the sidecar-design finding is cluster-wide but made from namespaced findings: a scoped part sees
          // only some of them, so only a whole-cluster snapshot may resolve it
          ...(report.scope ? [{ ruleId: MESH_CNI_RULE }] : []),
        ],
      },
      rows,
    );
    if (o.kind === "applied") {
      const target = { tenantId: report.tenantId, clusterId: report.clusterId, reportId: report.id };
      await writeSnapshotExtras(client, source, { ...target, collectedAt: report.collectedAt }, meta);
      if (deps.notify && o.stats.new + o.stats.reopened > 0) {
        // a failure here must not cost the snapshot: the alerts are written under a savepoint
        const summary = deps.notify.summary;
        await client.query("SAVEPOINT instant_alerts");
        try {
          alerts = await openInstantAlerts(db, client, report.tenantId, report.id, new Date(), summary);
          await client.query("RELEASE SAVEPOINT instant_alerts");
        } catch (e) {
          await client.query("ROLLBACK TO SAVEPOINT instant_alerts");
          log.error(
            { err: (e as Error).message },
            "instant alerts could not be written; the snapshot is applied",
          );
        }
      }
    }
    const warnings = skipped ? { count: skipped.count, first: skipped.first } : null;
    await markDone(
      db,
      report.tenantId,
      report.id,
      o.stats,
      o.kind === "superseded" ? o.byReportId : null,
      warnings,
    );
    return o;
  });
  const notifyQueue = deps.notify?.queue;
  for (const deliveryId of notifyQueue ? alerts : []) {
    // the outbox row is committed: a lost enqueue is relayed by the notification sync
    await enqueueDelivery(notifyQueue as NotifyQueue, { tenantId: report.tenantId, deliveryId }).catch(
      (e: unknown) =>
        log.warn({ deliveryId, err: (e as Error).message }, "alert enqueue failed; the sync relays it"),
    );
  }
  const totalMs = performance.now() - t0;
  if (outcome.kind === "superseded") {
    log.info(
      { supersededBy: outcome.byReportId },
      "older snapshot than one already applied: no finding changed",
    );
    return { outcome: "superseded", findings: rows.length };
  }
  log.info(
    { stats: outcome.stats, warnings: skipped?.count ?? 0, parseMs, totalMs, ...outcome.timings },
    "report applied",
  );
  return { outcome: "done", findings: rows.length, timings: { parseMs, totalMs, ...outcome.timings } };
}
