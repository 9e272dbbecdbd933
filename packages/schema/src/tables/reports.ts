import { sql } from "drizzle-orm";
import {
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { ManifestEntry, Scope } from "../envelope.js";
import type { ReportStats, ReportWarnings } from "../report.js";
import { clusters } from "./clusters.js";
import { tenantId, tenantRowId, ts } from "./columns.js";

export const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

export const reports = pgTable(
  "reports",
  {
    id: tenantRowId(),
    tenantId: tenantId(),
    clusterId: text("cluster_id").notNull(),
    source: text("source").notNull(),
    status: text("status").notNull().default("queued"),
    collectedAt: ts("collected_at").notNull(),
    receivedAt: ts("received_at").notNull().defaultNow(),
    startedAt: ts("started_at"),
    processedAt: ts("processed_at"),
    error: text("error"),
    stats: jsonb("stats").$type<ReportStats>(),
    /** entries the parser skipped (a required field missing): count and the first JSON paths; null when none */
    warnings: jsonb("warnings").$type<ReportWarnings>(),
    /** true when the snapshot was older than one already applied and so changed nothing */
    /** id of the newer report that made this snapshot stale (it was applied to nothing) */
    supersededBy: text("superseded_by"),
    runId: text("run_id"),
    tool: jsonb("tool").$type<{ name: string; version?: string }>(),
    scope: jsonb("scope").$type<Scope>(),
    scopeKey: text("scope_key").notNull(),
    /** what the uploader could and could not read (envelope extension), kept for audit */
    manifest: jsonb("manifest").$type<ManifestEntry[]>(),
    /** SHA-256 of the decompressed request body: the duplicate-detection key */
    bodySha256: text("body_sha256").notNull(),
    /** the raw envelope, gzip-compressed; null once purged by the retention sweep */
    payload: bytea("payload"),
    payloadBytes: integer("payload_bytes").notNull(),
    /**
     * With OBJECT_STORE_URL: the object holding the gzip payload (payload is then null). One object per tenant
     * and body_sha256 (the hash of the stored JSON), shared by every report of that body; null once purged.
     */
    payloadKey: text("payload_key"),
    /** bytes stored for the payload (the gzip object or bytea); null for rows from before it was recorded */
    payloadStoredBytes: integer("payload_stored_bytes"),
    payloadPurgedAt: ts("payload_purged_at"),
    attempts: integer("attempts").notNull().default(0),
    /** X-Request-Id of the upload: the worker's log lines carry it, however often the job is (re)enqueued */
    requestId: text("request_id"),
  },
  (t) => [
    primaryKey({ name: "reports_pk", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "reports_cluster_fk",
      columns: [t.clusterId],
      foreignColumns: [clusters.id],
    }).onDelete("cascade"),
    uniqueIndex("reports_dedupe_uq").on(t.tenantId, t.clusterId, t.source, t.bodySha256),
    // GET /v1/reports: newest first, keyset on (received_at, id)
    index("reports_tenant_received_idx").on(t.tenantId, t.receivedAt.desc(), t.id.desc()),
    index("reports_tenant_cluster_source_idx").on(t.tenantId, t.clusterId, t.source, t.receivedAt.desc()),
    // partial: the sweep looks only for reports not yet finished, a small set
    // partial: retention asks whether any report still needs an object before deleting it
    index("reports_payload_key_idx").on(t.tenantId, t.payloadKey).where(sql`payload_key is not null`),
    index("reports_unfinished_idx").on(t.receivedAt).where(sql`status in ('queued', 'processing')`),
  ],
);
