import type { PoolClient } from "@bulwark/runtime";
import { SEVERITY_BY_RANK } from "@bulwark/schema";
import { sql } from "drizzle-orm";
import { type FindingFilters, filterConditions } from "./findings/filters.js";
import { IMAGE_REPOSITORY } from "./findings/select.js";
import { queryRows } from "./query.js";

export interface GroupsInput extends FindingFilters {
  by: "rule" | "image";
  limit: number;
  /** (worst rank, workloads, rule id, image) of the previous page's last group */
  after?: [number, number, string, string];
}

export interface FindingGroup {
  ruleId: string;
  image?: string | null;
  severity: string;
  title: string;
  source: string;
  findings: number;
  workloads: number;
  namespaces: number;
  clusters: number;
  firstSeenAt: string;
}

interface Row {
  rule_id: string;
  image: string;
  rank: number;
  title: string;
  source: string;
  findings: number;
  workloads: number;
  namespaces: number;
  clusters: number;
  first_seen: Date;
}

/**
 * One row per check or vulnerability (`by=rule`), or per vulnerability and image repository (`by=image`):
 * how many workloads, namespaces and clusters the filtered findings of it touch, its worst severity and when
 * it was first seen, on the caller's tenant transaction. Worst first, then the widest; keyset over (worst,
 * workloads, rule, image). The groups are computed per request from the filtered findings (an aggregate cannot
 * be walked by an index).
 */
export async function groupFindingsOn(
  client: PoolClient,
  tenantId: string,
  input: GroupsInput,
): Promise<{ items: FindingGroup[]; next: [number, number, string, string] | null }> {
  const where = await filterConditions(client, tenantId, input);
  if (!where) return { items: [], next: null };
  if (input.by === "image") where.push(sql`f.resource_image is not null`);
  const image = input.by === "image" ? IMAGE_REPOSITORY : sql`''`;
  const after = input.after
    ? sql`where (g.rank, -g.workloads, g.rule_id, g.image) > (${input.after[0]}::int, ${-input.after[1]}::int, ${input.after[2]}::text, ${input.after[3]}::text)`
    : sql``;
  // Counting distinct workloads, namespaces and clusters per group makes Postgres sort every finding of the
  // filter (seconds at a million). Grouping level by level instead (workload, namespace, cluster, group) gives
  // the same counts from hash aggregates, each level a fraction of the one before: 6.1 s → 3.0 s at 1.8 M open
  // findings (BENCHMARKS.md). Transaction-local settings: a work_mem that keeps the first level in memory, and
  // no sort-based plan for it (the planner otherwise sorts the findings to group them, 3.6 s there); a hash
  // aggregate over work_mem spills to disk, so memory stays bounded. Restored after: the caller's transaction
  // may run other statements (the digests do). The findings alone, not FINDING_FROM: nothing here needs the
  // cluster's name or the snapshot head, and joining clusters made the planner read the findings cluster by
  // cluster, each page of the table once per cluster (1.78 M page reads for 1.8 M findings in 20 clusters).
  const saved = await client.query<{ work_mem: string; enable_sort: string }>(
    `select current_setting('work_mem') as work_mem, current_setting('enable_sort') as enable_sort,
       set_config('work_mem', '64MB', true), set_config('enable_sort', 'off', true)`,
  );
  const restore = saved.rows[0] as { work_mem: string; enable_sort: string };
  const rows = await queryRows<Row>(
    client,
    sql`with workload as (
          select f.rule_id, ${image} as image, f.cluster_id, f.resource_namespace as ns,
            min(f.severity_rank) as rank, min(f.title) as title, min(f.source) as source, count(*) as n,
            min(f.first_seen_at) as first_seen
          from findings f
          where ${sql.join(where, sql` and `)}
          group by 1, 2, 3, 4, f.resource_kind, f.resource_name
        ), namespace as (
          select rule_id, image, cluster_id, ns, min(rank) as rank, min(title) as title, min(source) as source,
            sum(n) as n, count(*) as workloads, min(first_seen) as first_seen
          from workload group by 1, 2, 3, 4
        ), cluster as (
          select rule_id, image, cluster_id, min(rank) as rank, min(title) as title, min(source) as source,
            sum(n) as n, sum(workloads) as workloads, count(ns) as namespaces, min(first_seen) as first_seen
          from namespace group by 1, 2, 3
        )
        select * from (
          select rule_id, image, min(rank)::int as rank, min(title) as title, min(source) as source,
            sum(n)::int as findings, sum(workloads)::int as workloads, sum(namespaces)::int as namespaces,
            count(*)::int as clusters, min(first_seen) as first_seen
          from cluster group by 1, 2
        ) g ${after}
        order by g.rank, g.workloads desc, g.rule_id, g.image
        limit ${input.limit + 1}`,
  );
  await client.query("select set_config('work_mem', $1, true), set_config('enable_sort', $2, true)", [
    restore.work_mem,
    restore.enable_sort,
  ]);
  const items = rows.slice(0, input.limit).map(
    (r): FindingGroup => ({
      ruleId: r.rule_id,
      ...(input.by === "image" ? { image: r.image } : {}),
      severity: SEVERITY_BY_RANK[r.rank] ?? "info",
      title: r.title,
      source: r.source,
      findings: r.findings,
      workloads: r.workloads,
      namespaces: r.namespaces,
      clusters: r.clusters,
      firstSeenAt: r.first_seen.toISOString(),
    }),
  );
  const last = rows.length > input.limit ? rows[input.limit - 1] : undefined;
  return { items, next: last ? [last.rank, last.workloads, last.rule_id, last.image] : null };
}
