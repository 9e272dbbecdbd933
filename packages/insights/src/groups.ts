import type { PoolClient } from "@bulwark/runtime";
import { SEVERITY_BY_RANK } from "@bulwark/schema";
import { sql } from "drizzle-orm";
import { type FindingFilters, filterConditions } from "./findings/filters.js";
import { FINDING_FROM, IMAGE_REPOSITORY } from "./findings/select.js";
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
 * it was first seen, on the caller's tenant transaction. Worst first, then the widest; keyset over (worst, workloads, rule, image). The groups
 * are computed per request from the filtered findings (an aggregate cannot be walked by an index).
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
  const rows = await queryRows<Row>(
    client,
    sql`select * from (
          select f.rule_id, ${image} as image, min(f.severity_rank)::int as rank, min(f.title) as title,
            min(f.source) as source, count(*)::int as findings,
            count(distinct (f.cluster_id, f.resource_namespace, f.resource_kind, f.resource_name))::int as workloads,
            count(distinct (f.cluster_id, f.resource_namespace))
              filter (where f.resource_namespace is not null)::int as namespaces,
            count(distinct f.cluster_id)::int as clusters, min(f.first_seen_at) as first_seen
          ${FINDING_FROM}
          where ${sql.join(where, sql` and `)}
          group by 1, 2
        ) g ${after}
        order by g.rank, g.workloads desc, g.rule_id, g.image
        limit ${input.limit + 1}`,
  );
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
