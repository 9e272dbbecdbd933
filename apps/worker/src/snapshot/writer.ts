import { once } from "node:events";
import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import { lockTenantSuppressions, type PoolClient, refreshTodayPoints } from "@bulwark/runtime";
import { type FindingDraft, fingerprint, type ReportStats, type Source } from "@bulwark/schema";
import { from as copyFrom } from "pg-copy-streams";
import type { KeepOpen } from "../parsers/tolerance.js";
import { jsonbText } from "./copy-text.js";
import { encodeRow, INCOMING_COLUMNS, INCOMING_DDL } from "./rows.js";
import type { ApplyOutcome, SnapshotTarget } from "./snapshot-target.js";
import { DETACH_SQL, RESOLVE_SQL, UPSERT_SQL } from "./statements.js";

/** Rows are sent to COPY in chunks of about this many characters (one write per chunk). */
const CHUNK_CHARS = 1 << 20;

/**
 * One snapshot being written while its report is read: drafts go into COPY as they are parsed (first
 * occurrence of a fingerprint wins), so memory holds one chunk of rows, never the whole report; `finish`
 * applies the set statements. Opened on a client already inside a tenant transaction; the locks are taken
 * first, so the stored state read at open (which findings are unchanged) holds until the commit.
 */
export class SnapshotWriter {
  private readonly seen = new Set<string>();
  private chunk = "";
  private readonly copyDone: Promise<void>;
  private copyError: unknown;
  private copyMs = 0;

  private constructor(
    private readonly client: PoolClient,
    private readonly t: SnapshotTarget,
    private readonly source: Source,
    /** fingerprint → content hash of the findings open and attached to this scope */
    private readonly known: Map<string, string>,
    private readonly pass: PassThrough,
    copyDone: Promise<void>,
  ) {
    this.copyDone = copyDone.catch((e: unknown) => {
      this.copyError = e;
    });
  }

  /** Lock, check the head (an older snapshot changes nothing), read what is stored, start the COPY. */
  static async open(
    client: PoolClient,
    t: SnapshotTarget,
  ): Promise<SnapshotWriter | { kind: "superseded"; byReportId: string }> {
    // a suppression change (exclusive) never interleaves with a snapshot (shared): see lockTenantSuppressions
    await lockTenantSuppressions(client, t.tenantId, "shared");
    // serialise snapshots of one (cluster, source): scopes can overlap, and the head check must see the winner
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
      `${t.tenantId}/${t.clusterId}/${t.source}`,
    ]);
    const head = await client.query<{ collected_at: Date; report_id: string }>(
      `SELECT collected_at, report_id FROM snapshot_heads
       WHERE tenant_id = $1 AND cluster_id = $2 AND source = $3 AND scope_key = $4`,
      [t.tenantId, t.clusterId, t.source, t.scopeKey],
    );
    const current = head.rows[0];
    if (current && current.collected_at.getTime() > t.collectedAt.getTime())
      return { kind: "superseded", byReportId: current.report_id };
    const stored = await client.query<{ fingerprint: string; content_hash: string }>(
      `SELECT fingerprint, content_hash FROM findings
       WHERE tenant_id = $1 AND cluster_id = $2 AND source = $3 AND status = 'open'
         AND seen_scope_key = $4 AND content_hash IS NOT NULL`,
      [t.tenantId, t.clusterId, t.source, t.scopeKey],
    );
    const known = new Map(stored.rows.map((r) => [r.fingerprint, r.content_hash]));
    await client.query(INCOMING_DDL);
    const cols = INCOMING_COLUMNS.map((c) => `"${c}"`).join(", ");
    const pass = new PassThrough();
    const done = pipeline(pass, client.query(copyFrom(`COPY incoming (${cols}) FROM STDIN`)));
    return new SnapshotWriter(client, t, t.source as Source, known, pass, done);
  }

  /** findings taken so far (after merging duplicates) */
  get count(): number {
    return this.seen.size;
  }

  async add(drafts: readonly FindingDraft[]): Promise<void> {
    for (const draft of drafts) {
      const fp = fingerprint(this.source, draft);
      if (this.seen.has(fp)) continue;
      this.seen.add(fp);
      this.chunk += `${encodeRow({ fingerprint: fp, draft }, this.known.get(fp))}\n`;
      if (this.chunk.length >= CHUNK_CHARS) await this.flush();
    }
  }

  private async flush(): Promise<void> {
    if (this.chunk === "") return;
    if (this.copyError) throw this.copyError;
    const mark = performance.now();
    const ok = this.pass.write(this.chunk);
    this.chunk = "";
    // the COPY's backpressure bounds memory; an error of the COPY ends the wait too
    // (the drain wait ends in an error when the COPY fails first: that error is copyError, checked below)
    if (!ok) await Promise.race([once(this.pass, "drain").catch(() => undefined), this.copyDone]);
    if (this.copyError) throw this.copyError;
    this.copyMs += performance.now() - mark;
  }

  /** Stop the COPY without applying, so the caller can roll back on a client that is free again. */
  async abort(): Promise<void> {
    this.pass.destroy(new Error("snapshot aborted"));
    await this.copyDone;
  }

  /** `keepOpen`: the target's, or what reading the report found (known only once it is read). */
  async finish(keepOpen?: KeepOpen[]): Promise<ApplyOutcome> {
    const { client, t } = this;
    let mark = performance.now();
    await this.flush();
    this.pass.end();
    await this.copyDone;
    if (this.copyError) throw this.copyError;
    // the resolve and detach statements probe incoming once per open finding of the (cluster, source): an
    // index, and statistics so the planner knows the table's size (without them it nested-loops over a scan)
    await client.query("CREATE INDEX ON incoming (fingerprint)");
    await client.query("ANALYZE incoming");
    const copyMs = this.copyMs + performance.now() - mark;

    mark = performance.now();
    // only a tenant with an active suppression pays for matching new findings against suppressions
    const anySuppression = await client.query(
      "SELECT 1 FROM suppressions WHERE tenant_id = $1 AND expires_at > now() LIMIT 1",
      [t.tenantId],
    );
    const upsert = await client.query<{ new: number; reopened: number }>(UPSERT_SQL, [
      t.tenantId,
      t.clusterId,
      t.source,
      t.reportId,
      t.collectedAt,
      (anySuppression.rowCount ?? 0) > 0,
      t.scopeKey,
    ]);
    const upsertMs = performance.now() - mark;

    mark = performance.now();
    const resolved = await client.query<{ resolved: number }>(RESOLVE_SQL, [
      t.tenantId,
      t.clusterId,
      t.source,
      t.reportId,
      t.collectedAt,
      t.namespaces,
      jsonbText(keepOpen ?? t.keepOpen ?? []),
      t.clusterScoped === true,
      t.excludeNamespaces ?? null,
    ]);
    await client.query(DETACH_SQL, [t.tenantId, t.clusterId, t.source, t.scopeKey]);
    await client.query(
      `INSERT INTO snapshot_heads (tenant_id, cluster_id, source, scope_key, collected_at, report_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, cluster_id, source, scope_key)
       DO UPDATE SET collected_at = excluded.collected_at, report_id = excluded.report_id`,
      [t.tenantId, t.clusterId, t.source, t.scopeKey, t.collectedAt, t.reportId],
    );
    await refreshTodayPoints(client, t.tenantId, [t.clusterId]);
    const resolveMs = performance.now() - mark;

    const findings = this.seen.size;
    const created = upsert.rows[0]?.new ?? 0;
    const reopened = upsert.rows[0]?.reopened ?? 0;
    const stats: ReportStats = {
      findings,
      new: created,
      reopened,
      unchanged: findings - created - reopened,
      resolved: resolved.rows[0]?.resolved ?? 0,
    };
    return { kind: "applied", timings: { copyMs, upsertMs, resolveMs }, stats };
  }
}
