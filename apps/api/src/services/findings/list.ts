import { withTenant } from "@bulwark/runtime";
import { SEVERITY_RANK, type Severity } from "@bulwark/schema";
import { type SQL, sql } from "drizzle-orm";
import { queryRows } from "../../lib/query.js";
import type { TenantCtx } from "../context.js";
import { FINDING_COLUMNS, FINDING_FROM, type FindingRow, tenantFindings } from "./select.js";

export type FindingStatusFilter = "open" | "resolved" | "suppressed" | "all";

export interface ListFindingsInput {
  cluster?: string;
  source?: string;
  severity?: Severity[];
  category?: string;
  strategy?: string;
  status: FindingStatusFilter;
  namespace?: string;
  kind?: string;
  name?: string;
  ruleId?: string;
  q?: string;
  since?: string;
  limit: number;
  after?: { rank: number; lastSeen: string; id: string };
}

export interface FindingPage {
  items: FindingRow[];
  next: { rank: number; lastSeen: string; id: string } | null;
}

const STATUS_FILTER: Record<FindingStatusFilter, SQL | null> = {
  open: sql`f.status = 'open' and not sp.suppressed`,
  suppressed: sql`f.status = 'open' and sp.suppressed`,
  resolved: sql`f.status = 'resolved'`,
  all: null,
};

/** `q` is a plain substring: LIKE's wildcards and escape character in it match themselves. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function conditions(tenantId: string, input: ListFindingsInput): SQL[] {
  const where: SQL[] = [tenantFindings(tenantId)];
  const status = STATUS_FILTER[input.status];
  if (status) where.push(status);
  if (input.cluster) where.push(sql`(c.id = ${input.cluster} or c.name = ${input.cluster})`);
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
  if (input.after) {
    const { rank, lastSeen, id } = input.after;
    // keyset for (severity_rank asc, last_seen_at desc, id desc): mixed directions, so spelled out
    where.push(sql`(f.severity_rank > ${rank} or (f.severity_rank = ${rank} and (f.last_seen_at < ${lastSeen}::timestamptz
      or (f.last_seen_at = ${lastSeen}::timestamptz and f.id < ${id}))))`);
  }
  return where;
}

/** Most severe first, then most recently seen; keyset paging only. */
export async function listFindings({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: ListFindingsInput;
}): Promise<FindingPage> {
  const where = conditions(ctx.tenantId, input);
  const rows = await withTenant(ctx.pool, ctx.tenantId, (_db, client) =>
    queryRows<FindingRow>(
      client,
      sql`
      select ${FINDING_COLUMNS} ${FINDING_FROM}
      where ${sql.join(where, sql` and `)}
      order by f.severity_rank asc, f.last_seen_at desc, f.id desc
      limit ${input.limit + 1}`,
    ),
  );
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return {
    items,
    next:
      rows.length > input.limit && last
        ? { rank: last.severity_rank, lastSeen: last.last_seen_key, id: last.id }
        : null,
  };
}
