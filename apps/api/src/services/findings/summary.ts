import { FINDING_FROM, type FindingFilters, filterConditions, IMAGE_REPOSITORY } from "@bulwark/insights";
import { withTenant } from "@bulwark/runtime";
import { type SQL, sql } from "drizzle-orm";
import { queryRows } from "../../lib/query.js";
import type { TenantCtx } from "../context.js";

export const GROUP_KEYS = [
  "severity",
  "category",
  "strategy",
  "source",
  "cluster",
  "namespace",
  "kind",
  "ruleId",
  "image",
] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];

const COLUMN: Record<GroupKey, SQL> = {
  severity: sql`f.severity`,
  category: sql`f.category`,
  strategy: sql`f.strategy`,
  source: sql`f.source`,
  cluster: sql`f.cluster_id`,
  namespace: sql`f.resource_namespace`,
  kind: sql`f.resource_kind`,
  ruleId: sql`f.rule_id`,
  image: IMAGE_REPOSITORY,
};

export interface SummaryGroup {
  key: Partial<Record<GroupKey, string | null>>;
  count: number;
  /** names of the ids in `key` (the cluster's name) */
  labels?: { cluster: string };
}

export interface SummaryInput extends FindingFilters {
  groupBy: GroupKey[];
  limit: number;
}

/**
 * Counts of the filtered findings per value of one or two keys, largest first (ties by key). Severity sorts
 * by rank within equal counts. At most `limit` groups; `truncated` says when more exist.
 */
export async function summarizeFindings({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: SummaryInput;
}): Promise<{ groups: SummaryGroup[]; truncated: boolean; total: number }> {
  return withTenant(ctx.pool, ctx.tenantId, async (_db, client) => {
    const where = await filterConditions(client, ctx.tenantId, input);
    if (!where) return { groups: [], truncated: false, total: 0 };
    const cols = input.groupBy.map((k, i) => sql`${COLUMN[k]} as ${sql.raw(`k${i}`)}`);
    const positions = sql.raw(input.groupBy.map((_k, i) => String(i + 1)).join(", "));
    const order = input.groupBy.map((k, i) =>
      k === "severity" ? sql`min(f.severity_rank)` : sql.raw(`k${i} asc nulls last`),
    );
    const rows = await queryRows<{
      k0: string | null;
      k1?: string | null;
      cluster_name: string | null;
      n: number;
      total: number;
    }>(
      client,
      sql`select ${sql.join(cols, sql`, `)}, max(c.name) as cluster_name, count(*)::int as n,
            (sum(count(*)) over ())::int as total
          ${FINDING_FROM}
          where ${sql.join(where, sql` and `)}
          group by ${positions}
          order by n desc, ${sql.join(order, sql`, `)}
          limit ${input.limit + 1}`,
    );
    const groups = rows.slice(0, input.limit).map((r): SummaryGroup => {
      const key: SummaryGroup["key"] = {};
      input.groupBy.forEach((k, i) => {
        key[k] = (i === 0 ? r.k0 : r.k1) ?? null;
      });
      return input.groupBy.includes("cluster") && r.cluster_name !== null
        ? { key, count: r.n, labels: { cluster: r.cluster_name } }
        : { key, count: r.n };
    });
    return { groups, truncated: rows.length > input.limit, total: rows[0]?.total ?? 0 };
  });
}
