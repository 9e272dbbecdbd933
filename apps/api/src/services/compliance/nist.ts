import { SUPPRESSED_NOW, UNSUPPRESSED_WHERE } from "@bulwark/insights";
import { withTenant } from "@bulwark/runtime";
import {
  CATEGORIES,
  emptyCounts,
  type Severity,
  type SeverityCounts,
  STRATEGIES,
  strategyScore,
} from "@bulwark/schema";
import { sql } from "drizzle-orm";
import { ApiError } from "../../errors.js";
import { queryRows } from "../../lib/query.js";
import type { MeshFacts } from "../../routes/mesh/schema.js";
import { findCluster } from "../clusters/find.js";
import type { TenantCtx } from "../context.js";
import { listMeshCoverage, type MeshCoverageTotals } from "../mesh/list.js";

/** Mesh coverage facts that evidence a strategy directly. */
const COVERAGE_OF: Partial<Record<string, "mtlsStrict" | "authorized" | "meshed" | "endUserAuth">> = {
  "PROT-MTLS": "mtlsStrict",
  "PROT-AUTHZ": "authorized",
  "PROT-COVER": "meshed",
  "PROT-EUAUTHN": "endUserAuth",
};
const EVIDENCE_PER_STRATEGY = 10;

export interface NistEvidence {
  id: string;
  ruleId: string;
  title: string;
  severity: Severity;
  source: string;
  cluster: string;
  resource: string | null;
}

export interface NistStrategy {
  id: string;
  name: string;
  category: { id: string; name: string };
  covers: string;
  nist: readonly string[];
  score: number;
  checks: number;
  passing: number;
  failing: number;
  accepted: number;
  open: SeverityCounts;
  coverage: { fact: string; count: number; total: number; share: number | null } | null;
  evidence: NistEvidence[];
}

export interface NistReport {
  cluster: { id: string; name: string } | null;
  generatedAt: string;
  sources: { source: string; clusters: number; lastCollectedAt: string }[];
  mesh: MeshFacts | MeshCoverageTotals | null;
  strategies: NistStrategy[];
}

/**
 * The NIST SP 800-204 report: per strategy of the taxonomy, the checks Bulwark has evaluated in scope (a
 * check counts once it has produced a finding there; scanners do not report passing checks uniformly),
 * those failing now (an open, unsuppressed finding), accepted (open findings all suppressed) and passing
 * (every finding resolved), the open counts, the mesh coverage fact that evidences it, and the most severe
 * open findings as evidence.
 */
export async function getNistReport({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { cluster?: string };
}): Promise<NistReport> {
  const report = await withTenant(ctx.pool, ctx.tenantId, async (db, client) => {
    let cluster: { id: string; name: string } | null = null;
    if (input.cluster) {
      cluster = await findCluster(db, ctx.tenantId, input.cluster, true);
      if (!cluster) throw new ApiError("not_found", `no cluster '${input.cluster}' in this tenant`);
    }
    const inCluster = cluster ? sql`and f.cluster_id = ${cluster.id}` : sql``;
    const checks = await queryRows<{ strategy: string; checks: number; failing: number; accepted: number }>(
      client,
      sql`select strategy, count(*)::int as checks,
            count(*) filter (where failing)::int as failing,
            count(*) filter (where not failing and accepted)::int as accepted
          from (
            select f.strategy, f.rule_id,
              bool_or(f.status = 'open' and not ${SUPPRESSED_NOW}) as failing,
              bool_or(f.status = 'open' and ${SUPPRESSED_NOW}) as accepted
            from findings f where f.tenant_id = ${ctx.tenantId} ${inCluster}
            group by f.strategy, f.rule_id
          ) r group by strategy`,
    );
    const open = await queryRows<{ strategy: string; severity: Severity; n: number }>(
      client,
      sql`select strategy, severity, sum(n)::int as n from posture_counts f
          where tenant_id = ${ctx.tenantId} and suppressed_until <= now() ${inCluster}
          group by strategy, severity`,
    );
    const evidence = await queryRows<{
      strategy: string;
      id: string;
      rule_id: string;
      title: string;
      severity: Severity;
      source: string;
      cluster_name: string;
      resource: string | null;
    }>(
      client,
      sql`select s.id as strategy, e.* from unnest(array[${sql.join(
        STRATEGIES.map((s) => sql`${s.id}`),
        sql`, `,
      )}]::text[]) as s(id)
          cross join lateral (
            select f.id, f.rule_id, f.title, f.severity, f.source, c.name as cluster_name,
              nullif(concat_ws('/', f.resource_namespace, f.resource_kind, f.resource_name), '') as resource
            from findings f join clusters c on c.id = f.cluster_id and c.tenant_id = f.tenant_id
            where f.tenant_id = ${ctx.tenantId} and f.strategy = s.id and f.status = 'open'
              and ${UNSUPPRESSED_WHERE} ${inCluster}
            order by f.severity_rank, f.last_seen_at desc nulls last, f.id
            limit ${EVIDENCE_PER_STRATEGY}
          ) e`,
    );
    const sources = await queryRows<{ source: string; clusters: number; last: Date }>(
      client,
      sql`select source, count(distinct cluster_id)::int as clusters, max(collected_at) as last
          from snapshot_heads f where tenant_id = ${ctx.tenantId} ${inCluster}
          group by source order by source`,
    );
    return { cluster, checks, open, evidence, sources };
  });
  const mesh = await listMeshCoverage({ ctx });
  const meshFacts = report.cluster
    ? (mesh.items.find((i) => i.cluster.id === report.cluster?.id)?.facts ?? null)
    : mesh.total.clusters > 0
      ? mesh.total
      : null;

  const checksBy = new Map(report.checks.map((r) => [r.strategy, r]));
  const openBy = new Map<string, SeverityCounts>();
  for (const r of report.open) {
    const c = openBy.get(r.strategy) ?? emptyCounts();
    c[r.severity] += r.n;
    openBy.set(r.strategy, c);
  }
  const categoryName = new Map(CATEGORIES.map((c) => [c.id as string, c.name]));
  return {
    cluster: report.cluster,
    generatedAt: new Date().toISOString(),
    sources: report.sources.map((s) => ({
      source: s.source,
      clusters: s.clusters,
      lastCollectedAt: s.last.toISOString(),
    })),
    mesh: meshFacts,
    strategies: STRATEGIES.map((s): NistStrategy => {
      const c = checksBy.get(s.id);
      const openCounts = openBy.get(s.id) ?? emptyCounts();
      const fact = COVERAGE_OF[s.id];
      const share = fact && meshFacts ? meshFacts[fact] : undefined;
      return {
        id: s.id,
        name: s.name,
        category: { id: s.category, name: categoryName.get(s.category) ?? s.category },
        covers: s.covers,
        nist: s.nist,
        score: strategyScore(openCounts),
        checks: c?.checks ?? 0,
        failing: c?.failing ?? 0,
        accepted: c?.accepted ?? 0,
        passing: (c?.checks ?? 0) - (c?.failing ?? 0) - (c?.accepted ?? 0),
        open: openCounts,
        coverage: fact && share ? { fact, count: share.count, total: share.total, share: share.share } : null,
        evidence: report.evidence
          .filter((e) => e.strategy === s.id)
          .map((e) => ({
            id: e.id,
            ruleId: e.rule_id,
            title: e.title,
            severity: e.severity,
            source: e.source,
            cluster: e.cluster_name,
            resource: e.resource,
          })),
      };
    }),
  };
}
