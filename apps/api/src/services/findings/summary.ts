import { FINDING_FROM, type FindingFilters, filterConditions, IMAGE_REPOSITORY } from "@bulwark/insights";
import { withTenant } from "@bulwark/runtime";
import { type SQL, sql } from "drizzle-orm";
import { queryRows } from "../../lib/query.js";
import type { TenantCtx } from "../context.js";
import {
  countersCanAnswer,
  groupedSummary,
  type SummaryRow,
  shapeGroups,
  summaryFromCounters,
} from "./summary-counters.js";

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

export interface SummaryResult {
  groups: SummaryGroup[];
  truncated: boolean;
  total: number;
}

/**
 * Counts of the filtered findings per value of one or two keys, largest first (ties by key). Severity sorts
 * by rank within equal counts. At most `limit` groups; `truncated` says when more exist. Open or suppressed
 * findings by severity, strategy, category, source or cluster come from the maintained counters
 * (summary-counters.ts); every other summary counts the findings.
 */
export async function summarizeFindings({
  ctx,
  input,
  path = "auto",
}: {
  ctx: TenantCtx;
  input: SummaryInput;
  /** "findings" forces the count over the findings (the tests compare it with the counters) */
  path?: "auto" | "findings";
}): Promise<SummaryResult> {
  return withTenant(ctx.pool, ctx.tenantId, async (_db, client) => {
    if (path === "auto" && countersCanAnswer(input)) return summaryFromCounters(client, ctx.tenantId, input);
    const where = await filterConditions(client, ctx.tenantId, input);
    if (!where) return { groups: [], truncated: false, total: 0 };
    const rows = await queryRows<SummaryRow>(
      client,
      groupedSummary(input, {
        column: (k) => COLUMN[k],
        severityRank: sql`f.severity_rank`,
        count: sql`count(*)`,
        // the findings alone unless the cluster's name is wanted: joining clusters makes the planner read the
        // findings cluster by cluster (each page once per cluster; a namespace summary at 1.8M: 6.6 → 4.7 s)
        from: input.groupBy.includes("cluster") ? FINDING_FROM : sql`from findings f`,
        where,
      }),
    );
    return shapeGroups(rows, input);
  });
}
