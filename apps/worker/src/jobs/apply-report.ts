import type { Readable } from "node:stream";
import { openInstantAlerts, type SummaryDeps } from "@bulwark/notify";
import type { Db, Logger, PoolClient } from "@bulwark/runtime";
import { type FindingDraft, fingerprint, type ReportStats, type Source } from "@bulwark/schema";
import { MESH_CNI_RULE, MeshFolder } from "../normalize/mesh-fold.js";
import type { Skipped } from "../parsers/tolerance.js";
import type { Parser } from "../parsers/types.js";
import type { SnapshotTarget } from "../snapshot/snapshot-target.js";
import { SnapshotWriter } from "../snapshot/writer.js";
import { readReport } from "../stream/read-report.js";
import { writeSnapshotExtras } from "./extras.js";
import { keepOpenOf } from "./keep-open.js";
import { markDone } from "./report-state.js";

export interface ApplyReportInput {
  target: SnapshotTarget;
  source: Source;
  parser: Parser;
  payload: Readable;
  /** read trivy k8s resources one at a time (false: the second try, whole) */
  stream: boolean;
  /** the report covers part of the cluster (then it never resolves the sidecar-design finding) */
  scoped: boolean;
  notify?: SummaryDeps;
  log: Logger;
}

export interface AppliedReport {
  kind: "applied" | "superseded";
  stats: ReportStats;
  supersededBy?: string;
  alerts: string[];
  skipped?: Skipped;
  timings?: Record<string, number>;
}

/**
 * Read the report and write its snapshot in one tenant transaction, the report's `done` included: the
 * drafts go into the snapshot's COPY while the payload is still being read (memory: one resource and one
 * COPY chunk). An older snapshot than the one applied is still read, to count its findings, and changes
 * nothing. Any error rolls everything back (the COPY is stopped first so the rollback can run).
 */
export async function applyReport(db: Db, client: PoolClient, i: ApplyReportInput): Promise<AppliedReport> {
  const { target: t } = i;
  const opened = await SnapshotWriter.open(client, t);
  const writer = opened instanceof SnapshotWriter ? opened : null;
  const counted = new Set<string>();
  const folder = new MeshFolder();
  const take = async (drafts: readonly FindingDraft[]) => {
    if (writer) await writer.add(drafts);
    else for (const d of drafts) counted.add(fingerprint(i.source, d));
  };
  const t0 = performance.now();
  let parsed: Awaited<ReturnType<typeof readReport>>;
  try {
    parsed = await readReport(i.payload, {
      source: i.source,
      parser: i.parser,
      collectedAt: t.collectedAt,
      stream: i.stream,
      // findings that fire on istio-init / istio-proxy only because of the sidecar design become one
      onDrafts: (drafts) => take(folder.take(drafts)),
    });
    const folded = folder.result();
    if (folded) await take([folded]);
  } catch (e) {
    await writer?.abort();
    throw e;
  }
  const readMs = performance.now() - t0;
  const warnings = parsed.skipped ? { count: parsed.skipped.count, first: parsed.skipped.first } : null;
  if (!writer) {
    const stats = { findings: counted.size, new: 0, unchanged: 0, resolved: 0, reopened: 0 };
    const by = (opened as { byReportId: string }).byReportId;
    await markDone(db, t.tenantId, t.reportId, stats, by, warnings);
    return { kind: "superseded", stats, supersededBy: by, alerts: [], ...skippedOf(parsed.skipped) };
  }
  const o = await writer.finish([
    ...keepOpenOf(parsed.unevaluatedRuleIds, parsed.skipped),
    // the sidecar-design finding is cluster-wide but made from namespaced findings: a scoped part sees
    // only some of them, so only a whole-cluster snapshot may resolve it
    ...(i.scoped ? [{ ruleId: MESH_CNI_RULE }] : []),
  ]);
  if (o.kind !== "applied") throw new Error("a snapshot writer that was opened always applies");
  const target = { tenantId: t.tenantId, clusterId: t.clusterId, reportId: t.reportId };
  await writeSnapshotExtras(client, i.source, { ...target, collectedAt: t.collectedAt }, parsed.meta);
  let alerts: string[] = [];
  if (i.notify && o.stats.new + o.stats.reopened > 0) {
    // a failure here must not cost the snapshot: the alerts are written under a savepoint
    await client.query("SAVEPOINT instant_alerts");
    try {
      alerts = await openInstantAlerts(db, client, t.tenantId, t.reportId, new Date(), i.notify);
      await client.query("RELEASE SAVEPOINT instant_alerts");
    } catch (e) {
      await client.query("ROLLBACK TO SAVEPOINT instant_alerts");
      i.log.error(
        { err: (e as Error).message },
        "instant alerts could not be written; the snapshot is applied",
      );
    }
  }
  await markDone(db, t.tenantId, t.reportId, o.stats, null, warnings);
  return {
    kind: "applied",
    stats: o.stats,
    alerts,
    ...skippedOf(parsed.skipped),
    timings: { readMs, ...o.timings },
  };
}

const skippedOf = (s: Skipped | undefined) => (s ? { skipped: s } : {});
