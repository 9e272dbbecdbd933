import { sql } from "drizzle-orm";
import {
  boolean,
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { clusters } from "./clusters.js";
import { tenantId, tenantRowId, ts } from "./columns.js";

export const findings = pgTable(
  "findings",
  {
    id: tenantRowId(),
    tenantId: tenantId(),
    clusterId: text("cluster_id").notNull(),
    source: text("source").notNull(),
    fingerprint: text("fingerprint").notNull(),
    ruleId: text("rule_id").notNull(),
    title: text("title").notNull(),
    severity: text("severity").notNull(),
    severityRank: smallint("severity_rank").notNull(),
    /** what the latest applied snapshot says: open | resolved (suppressed is derived at read time) */
    status: text("status").notNull(),
    category: text("category").notNull(),
    strategy: text("strategy").notNull(),
    nist: text("nist").array().notNull(),
    mapped: boolean("mapped").notNull(),
    resourceKind: text("resource_kind"),
    resourceNamespace: text("resource_namespace"),
    resourceName: text("resource_name"),
    resourceContainer: text("resource_container"),
    resourceImage: text("resource_image"),
    remediation: text("remediation"),
    references: text("references").array().notNull(),
    details: jsonb("details").notNull(),
    firstSeenAt: ts("first_seen_at").notNull(),
    lastSeenAt: ts("last_seen_at").notNull(),
    resolvedAt: ts("resolved_at"),
    /** when the current open episode began: first seen, or the last reopening (the SLA clock) */
    openedAt: ts("opened_at").notNull(),
    /**
     * The latest expiry among the active suppressions matching this finding, kept by the suppression verbs and
     * the snapshot apply: the finding reads as suppressed while now() < suppressed_until. A column compared
     * per row, never a subquery; expiry needs no write to take effect (the sweep tidies up afterwards).
     */
    suppressedUntil: ts("suppressed_until"),
    /** the report that last wrote this row (new, changed or reopened); an unchanged re-scan writes nothing */
    lastReportId: text("last_report_id").notNull(),
    /**
     * MD5 of the finding's content as the worker encodes it: a snapshot rewrites the row only when this
     * differs, the finding was not open, or it was last seen under another scope. Null on rows written
     * before it existed (the next snapshot rewrites those once).
     */
    contentHash: text("content_hash"),
    /**
     * The scope (snapshot_heads.scope_key) whose snapshots confirm this open finding: while it stays open and
     * attached, its lastSeenAt reads as that head's collected_at, so an unchanged re-scan moves only the head.
     * Null once detached (resolved, or kept open by a snapshot that did not see it): last_seen_at is then exact.
     */
    seenScopeKey: text("seen_scope_key"),
  },
  (t) => [
    primaryKey({ name: "findings_pk", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "findings_cluster_fk",
      columns: [t.clusterId],
      foreignColumns: [clusters.id],
    }).onDelete("cascade"),
    uniqueIndex("findings_identity_uq").on(t.tenantId, t.clusterId, t.source, t.fingerprint),
    // the list order (severity, then most recent) with keyset paging, per status
    index("findings_list_idx").on(t.tenantId, t.status, t.severityRank, t.lastSeenAt.desc(), t.id.desc()),
    index("findings_cluster_list_idx").on(
      t.tenantId,
      t.clusterId,
      t.status,
      t.severityRank,
      t.lastSeenAt.desc(),
      t.id.desc(),
    ),
    index("findings_strategy_idx").on(t.tenantId, t.strategy, t.status, t.severityRank),
    index("findings_rule_idx").on(t.tenantId, t.ruleId, t.status, t.id),
    index("findings_resource_idx").on(t.tenantId, t.resourceNamespace, t.resourceKind, t.resourceName),
    index("findings_first_seen_idx").on(t.tenantId, t.status, t.firstSeenAt, t.id),
    // sort=lastSeenAt / -lastSeenAt keyset pages
    index("findings_last_seen_idx").on(t.tenantId, t.status, t.lastSeenAt, t.id),
    // partial: status=suppressed lists (the few findings with a suppression, until the sweep clears a lapsed one)
    index("findings_suppressed_list_idx")
      .on(t.tenantId, t.status, t.severityRank, t.lastSeenAt.desc(), t.id.desc())
      .where(sql`suppressed_until is not null`),
    // partial: the expiry sweep finds findings whose suppression has lapsed
    index("findings_suppressed_until_idx").on(t.suppressedUntil).where(sql`suppressed_until is not null`),
    // partial: snapshot resolution scans only the open findings of one (cluster, source)
    index("findings_open_by_source_idx")
      .on(t.tenantId, t.clusterId, t.source, t.resourceNamespace)
      .where(sql`status = 'open'`),
  ],
);
