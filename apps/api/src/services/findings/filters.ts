import type { PoolClient } from "@bulwark/runtime";
import { SEVERITY_RANK, type Severity } from "@bulwark/schema";
import { type SQL, sql } from "drizzle-orm";
import { queryRows } from "../../lib/query.js";
import { SUPPRESSED_NOW, tenantFindings } from "./select.js";

export type FindingStatusFilter = "open" | "resolved" | "suppressed" | "all";

/** The filters of GET /v1/findings (contract §2.1), shared by every route that takes "the list filters". */
export interface FindingFilters {
  cluster?: string;
  source?: string;
  severity?: Severity[];
  category?: string;
  strategy?: string;
  status?: FindingStatusFilter;
  namespace?: string;
  kind?: string;
  name?: string;
  ruleId?: string;
  q?: string;
  since?: string;
}

const STATUS_FILTER: Record<FindingStatusFilter, SQL | null> = {
  open: sql`f.status = 'open' and not ${SUPPRESSED_NOW}`,
  suppressed: sql`f.status = 'open' and ${SUPPRESSED_NOW}`,
  resolved: sql`f.status = 'resolved'`,
  all: null,
};

/** `q` is a plain substring: LIKE's wildcards and escape character in it match themselves. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * The filters as SQL conditions on `findings f`, tenant first. The cluster (id or name) is resolved to its id
 * first so the condition can use the cluster index; a cluster the tenant does not have yields null: nothing
 * matches. Runs on the caller's tenant transaction.
 */
export async function filterConditions(
  client: PoolClient,
  tenantId: string,
  input: FindingFilters,
): Promise<SQL[] | null> {
  const where: SQL[] = [tenantFindings(tenantId)];
  if (input.cluster) {
    const rows = await queryRows<{ id: string }>(
      client,
      sql`select id from clusters where tenant_id = ${tenantId} and (id = ${input.cluster} or name = ${input.cluster})
          order by (id = ${input.cluster}) desc limit 1`,
    );
    const id = rows[0]?.id;
    if (!id) return null;
    where.push(sql`f.cluster_id = ${id}`);
  }
  const status = STATUS_FILTER[input.status ?? "all"];
  if (status) where.push(status);
  if (input.source) where.push(sql`f.source = ${input.source}`);
  if (input.severity && input.severity.length > 0) {
    const ranks = input.severity.map((s) => sql`${SEVERITY_RANK[s]}`);
    where.push(sql`f.severity_rank in (${sql.join(ranks, sql`, `)})`);
  }
  if (input.category) where.push(sql`f.category = ${input.category}`);
  if (input.strategy) where.push(sql`f.strategy = ${input.strategy}`);
  if (input.namespace) where.push(sql`f.resource_namespace = ${input.namespace}`);
  if (input.kind) where.push(sql`f.resource_kind = ${input.kind}`);
  if (input.name) where.push(sql`f.resource_name = ${input.name}`);
  if (input.ruleId) where.push(sql`f.rule_id = ${input.ruleId}`);
  if (input.q) {
    const p = likePattern(input.q);
    where.push(sql`(f.title ilike ${p} escape '\\' or f.rule_id ilike ${p} escape '\\')`);
  }
  if (input.since) where.push(sql`f.first_seen_at >= ${input.since}::timestamptz`);
  return where;
}
