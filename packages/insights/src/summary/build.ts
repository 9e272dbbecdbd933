import type { Db, PoolClient } from "@bulwark/runtime";
import {
  type DeliveryKind,
  type NotificationFilters,
  SEVERITIES,
  SEVERITY_RANK,
  type Severity,
  type Summary,
} from "@bulwark/schema";
import { sql } from "drizzle-orm";
import { countChangesOn } from "../changes.js";
import type { FindingFilters } from "../findings/filters.js";
import { groupFindingsOn } from "../groups.js";
import { queryRows } from "../query.js";
import { slaReportOn } from "../sla.js";
import { expiringSuppressions, postureChange, silentClusters } from "./parts.js";

export interface SummaryRequest {
  kind: DeliveryKind;
  rule: { id: string; name: string; timezone: string; filters: NotificationFilters };
  period: { start: Date; end: Date; late: boolean };
  /** instant alerts: the snapshot, and the least severity that makes a new finding worth an alert */
  report?: { id: string; minSeverity: Severity };
  now: Date;
  /** base of the links (PUBLIC_URL) */
  publicUrl: string;
  silentAfterHours: number;
}

const TOP = 10;
const SLA_SHOWN = 5;

function link(base: string, path: string, query: Record<string, string | undefined> = {}): string {
  const u = new URL(path, base.endsWith("/") ? base : `${base}/`);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, v);
  return u.toString();
}

/** The severities at or above a floor, most severe first. */
function atLeast(floor: Severity): Severity[] {
  return SEVERITIES.filter((s) => SEVERITY_RANK[s] <= SEVERITY_RANK[floor]);
}

/**
 * A rule's summary for a period (or an instant alert for one snapshot), from the shared read queries: the
 * changes feed counted per type and severity, the new critical and high items grouped by check or CVE, the
 * posture and its change, suppressions expiring within 7 days, SLA breaches and silent clusters, with links
 * to the API. Everything is scoped by the rule's filters and runs on the caller's tenant transaction.
 */
export async function buildSummary(
  db: Db,
  client: PoolClient,
  tenantId: string,
  req: SummaryRequest,
): Promise<Summary> {
  const f = req.rule.filters;
  const [tenant] = await queryRows<{ id: string; name: string }>(
    client,
    sql`select id, name from tenants where id = ${tenantId}`,
  );
  const clusters = f.clusters?.length
    ? await queryRows<{ id: string; name: string }>(
        client,
        sql`select id, name from clusters where tenant_id = ${tenantId} and id in (${sql.join(
          f.clusters.map((id) => sql`${id}`),
          sql`, `,
        )}) order by name`,
      )
    : [];
  const clusterIds = f.clusters?.length ? clusters.map((c) => c.id) : null;
  const filters: FindingFilters = {
    ...(clusterIds ? { clusterIds } : {}),
    ...(f.namespaces?.length ? { namespaces: f.namespaces } : {}),
    ...(f.sources?.length ? { sources: f.sources } : {}),
    ...(f.strategies?.length ? { strategies: f.strategies } : {}),
    ...(f.categories?.length ? { categories: f.categories } : {}),
    ...(f.minSeverity ? { minSeverity: f.minSeverity } : {}),
  };
  const reportId = req.report?.id;
  // an instant alert counts what its snapshot changed, whenever that was recorded
  const since = reportId ? "1970-01-01T00:00:00Z" : req.period.start.toISOString();
  const until = reportId ? "9999-01-01T00:00:00Z" : req.period.end.toISOString();
  const changes = await countChangesOn(client, tenantId, {
    ...filters,
    since,
    until,
    types: ["new", "reopened", "resolved"],
    byRecorded: true,
    ...(reportId ? { reportId } : {}),
  });
  const topSeverities = req.report ? atLeast(req.report.minSeverity) : (["critical", "high"] as Severity[]);
  const groups = await groupFindingsOn(client, tenantId, {
    ...filters,
    by: "rule",
    status: "open",
    severity: topSeverities,
    changedIn: { since, until, kinds: ["new", "reopened"], ...(reportId ? { reportId } : {}) },
    limit: 200,
  });
  const base = req.publicUrl;
  const oneCluster = clusters.length === 1 ? clusters[0]?.id : undefined;
  const topNew: Summary["topNew"] = {
    items: groups.items.slice(0, TOP).map((g) => ({
      ruleId: g.ruleId,
      title: g.title,
      severity: g.severity as Severity,
      source: g.source,
      image: g.image ?? null,
      findings: g.findings,
      workloads: g.workloads,
      namespaces: g.namespaces,
      clusters: g.clusters,
      link: link(base, "v1/findings", { ruleId: g.ruleId, cluster: oneCluster }),
    })),
    more: Math.max(0, groups.items.length - TOP) + (groups.next ? 1 : 0),
  };
  const unchanged = ["new", "reopened", "resolved"].every((t) =>
    Object.values(changes[t as "new"]).every((n) => n === 0),
  );
  const scheduled = req.kind !== "instant";
  const sla = scheduled
    ? await slaReportOn(db, client, tenantId, {
        filters,
        windowDays: 1,
        limit: SLA_SHOWN,
        timeToResolve: false,
      })
    : null;
  const breaches = sla?.breaches ?? { critical: 0, high: 0, medium: 0, low: 0 };
  const breachTotal = Object.values(breaches).reduce((a, b) => a + b, 0);
  let report: Summary["report"] = null;
  if (reportId) {
    const [r] = await queryRows<{ id: string; cluster_id: string; name: string; source: string }>(
      client,
      sql`select r.id, r.cluster_id, c.name, r.source from reports r
          join clusters c on c.tenant_id = r.tenant_id and c.id = r.cluster_id
          where r.tenant_id = ${tenantId} and r.id = ${reportId}`,
    );
    if (r) report = { id: r.id, cluster: { id: r.cluster_id, name: r.name }, source: r.source };
  }
  return {
    version: 1,
    kind: req.kind,
    tenant: { id: tenantId, name: tenant?.name ?? tenantId },
    rule: { id: req.rule.id, name: req.rule.name },
    period: {
      start: req.period.start.toISOString(),
      end: req.period.end.toISOString(),
      timezone: req.rule.timezone,
      late: req.period.late,
    },
    generatedAt: req.now.toISOString(),
    filters: {
      clusters,
      namespaces: f.namespaces ?? [],
      sources: f.sources ?? [],
      strategies: f.strategies ?? [],
      categories: f.categories ?? [],
      minSeverity: f.minSeverity ?? null,
    },
    report,
    unchanged,
    posture: scheduled ? await postureChange(client, tenantId, clusterIds, f, req.period.start) : null,
    changes: { new: changes.new, reopened: changes.reopened, resolved: changes.resolved },
    topNew,
    expiringSuppressions: scheduled
      ? await expiringSuppressions(client, tenantId, filters, req.now)
      : { findings: 0, items: [], more: 0 },
    sla: {
      breaches,
      items: (sla?.items ?? []).map((b) => ({
        id: b.id,
        title: b.title,
        severity: b.severity as Severity,
        cluster: b.cluster_name,
        resource: b.resource_name
          ? [b.resource_namespace, b.resource_kind, b.resource_name].filter(Boolean).join("/")
          : null,
        overdueDays: Math.floor((req.now.getTime() - b.due_at.getTime()) / 86_400_000),
        link: link(base, `v1/findings/${b.id}`),
      })),
      more: Math.max(0, breachTotal - (sla?.items.length ?? 0)),
    },
    silentClusters: scheduled
      ? await silentClusters(client, tenantId, clusterIds, req.silentAfterHours, req.now)
      : [],
    links: {
      changes: link(base, "v1/changes", {
        since: req.period.start.toISOString(),
        until: req.period.end.toISOString(),
        cluster: oneCluster,
      }),
      findings: link(base, "v1/findings", { severity: "critical,high", cluster: oneCluster }),
      sla: link(base, "v1/sla", { cluster: oneCluster }),
      posture: link(base, "v1/posture/history", { cluster: oneCluster }),
      rule: link(base, `v1/notification-rules/${req.rule.id}`),
    },
  };
}
