import type { PoolClient } from "@bulwark/runtime";
import { SEVERITY_RANK, type Severity } from "@bulwark/schema";
import { type SQL, sql } from "drizzle-orm";
import { queryRows } from "../query.js";
import { SUPPRESSED_WHERE, tenantFindings, UNSUPPRESSED_WHERE } from "./select.js";

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
  /** the filters of a notification rule: each list matches any of its values */
  clusterIds?: string[];
  /** exact names or globs: `*` any run of characters, `?` one character */
  namespaces?: string[];
  sources?: string[];
  strategies?: string[];
  categories?: string[];
  /** this severity and the more severe ones */
  minSeverity?: Severity;
  /**
   * only findings with a status change of these kinds recorded in [since, until) (when it was written, as
   * summaries count them), optionally caused by one report
   */
  changedIn?: { since: string; until: string; kinds: string[]; reportId?: string };
}

const STATUS_FILTER: Record<FindingStatusFilter, SQL | null> = {
  open: sql`f.status = 'open' and ${UNSUPPRESSED_WHERE}`,
  suppressed: sql`f.status = 'open' and ${SUPPRESSED_WHERE}`,
  resolved: sql`f.status = 'resolved'`,
  all: null,
};

/** A `q=` search is narrowed to the matching rules' findings when they are at most this many… */
const Q_RULES_MAX = 500;
/** …and their (rule, title) pairs at most this share of the tenant's (see filterConditions). */
const Q_RARE = 0.01;

/** `q` is a plain substring: LIKE's wildcards and escape character in it match themselves. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** A namespace glob as a LIKE pattern: `*` → `%`, `?` → `_`, LIKE's own wildcards escaped. */
export function globPattern(glob: string): string {
  return glob
    .replace(/[\\%_]/g, (ch) => `\\${ch}`)
    .replace(/\*/g, "%")
    .replace(/\?/g, "_");
}

function anyOf(column: SQL, values: readonly string[]): SQL {
  return sql`${column} in (${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
}

/** The rule-style list filters (notification rules), appended to `where`. */
function listConditions(input: FindingFilters, where: SQL[]): void {
  if (input.clusterIds)
    where.push(input.clusterIds.length > 0 ? anyOf(sql`f.cluster_id`, input.clusterIds) : sql`false`);
  if (input.namespaces && input.namespaces.length > 0) {
    const likes = input.namespaces.map((g) => sql`f.resource_namespace like ${globPattern(g)} escape '\\'`);
    where.push(sql`(${sql.join(likes, sql` or `)})`);
  }
  if (input.sources && input.sources.length > 0) where.push(anyOf(sql`f.source`, input.sources));
  if (input.strategies && input.strategies.length > 0) where.push(anyOf(sql`f.strategy`, input.strategies));
  if (input.categories && input.categories.length > 0) where.push(anyOf(sql`f.category`, input.categories));
  if (input.minSeverity) where.push(sql`f.severity_rank <= ${SEVERITY_RANK[input.minSeverity]}`);
  if (input.changedIn) {
    const c = input.changedIn;
    const byReport = c.reportId ? sql`and e.report_id = ${c.reportId}` : sql``;
    where.push(sql`exists (select 1 from finding_events e where e.tenant_id = f.tenant_id and e.finding_id = f.id
      and e.recorded_at >= ${c.since}::timestamptz and e.recorded_at < ${c.until}::timestamptz ${byReport}
      and ${anyOf(sql`e.kind`, c.kinds)})`);
  }
}

/** A cluster of the tenant by id, else by name; undefined when the tenant has none such. */
export async function resolveClusterId(
  client: PoolClient,
  tenantId: string,
  cluster: string,
): Promise<string | undefined> {
  const rows = await queryRows<{ id: string }>(
    client,
    sql`select id from clusters where tenant_id = ${tenantId} and (id = ${cluster} or name = ${cluster})
        order by (id = ${cluster}) desc limit 1`,
  );
  return rows[0]?.id;
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
    const id = await resolveClusterId(client, tenantId, input.cluster);
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
    // The tenant's rule catalog (rule_titles: every (rule, title) pair of its findings, lower-cased as ILIKE
    // compares them, in `search`) says which rules match and how common the substring is. No pair: nothing
    // matches. A rare one (at most 1 % of the pairs, at most Q_RULES_MAX rules): only those rules' findings are
    // read, through the rule index. A common one: walking the list in order finds a page of matches soon, so the
    // condition alone is better (restricting to many rules made the planner gather and sort all their findings:
    // 6.7 ms → 945 ms at 2M). Either way the substring condition decides each finding; the catalog only narrows.
    const r = await client.query<{ matched: number; total: number; rules: string[] | null }>(
      `select count(*) filter (where m)::int as matched, count(*)::int as total,
         case when count(distinct rule_id) filter (where m) <= $3
           then array_agg(distinct rule_id) filter (where m) end as rules
       from (select rule_id, strpos(search, lower($2)) > 0 as m from rule_titles where tenant_id = $1) x`,
      [tenantId, input.q, Q_RULES_MAX],
    );
    const { matched, total, rules } = r.rows[0] ?? { matched: 0, total: 0, rules: null };
    if (matched === 0) return null;
    if (rules && matched <= total * Q_RARE)
      where.push(
        sql`f.rule_id in (${sql.join(
          rules.map((id) => sql`${id}`),
          sql`, `,
        )})`,
      );
    where.push(sql`(f.title ilike ${p} escape '\\' or f.rule_id ilike ${p} escape '\\')`);
  }
  if (input.since) where.push(sql`f.first_seen_at >= ${input.since}::timestamptz`);
  listConditions(input, where);
  return where;
}
