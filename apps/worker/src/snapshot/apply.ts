import type { PoolClient } from "@bulwark/runtime";
import type { IdentifiedDraft } from "./rows.js";
import type { ApplyOutcome, SnapshotTarget } from "./snapshot-target.js";
import { SnapshotWriter } from "./writer.js";

export type { ApplyOutcome, SnapshotTarget };

/**
 * Apply one snapshot (contract §1.4) on a client already inside a tenant transaction:
 * the snapshot is the complete truth for (cluster, source, scope). Present findings are inserted or, when
 * changed, rewritten (a resolved one reopens with its id and first-seen time; an unchanged one is not written), open findings in scope that are absent resolve,
 * every transition is recorded in finding_events, the posture counters move by the same deltas and today's
 * posture point of the cluster is rewritten. Snapshots apply in collectedAt order: one older than
 * the newest applied for the same (cluster, source, scope) changes nothing. A handful of statements, no
 * per-finding query, all in the caller's transaction, so a crash leaves no partial snapshot and a re-run
 * converges.
 */
export async function applySnapshot(
  client: PoolClient,
  t: SnapshotTarget,
  rows: readonly IdentifiedDraft[],
): Promise<ApplyOutcome> {
  const w = await SnapshotWriter.open(client, t);
  if (!(w instanceof SnapshotWriter)) {
    const stats = { findings: rows.length, new: 0, unchanged: 0, resolved: 0, reopened: 0 };
    return { kind: "superseded", byReportId: w.byReportId, stats };
  }
  // rows are already one per fingerprint: the writer keeps them as they are
  await w.add(rows.map((r) => r.draft));
  return w.finish();
}
