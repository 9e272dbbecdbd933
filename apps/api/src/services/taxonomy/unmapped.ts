import { LAST_SEEN, SEEN_HEAD_JOIN } from "@bulwark/insights";
import { withTenant } from "@bulwark/runtime";
import { sql } from "drizzle-orm";
import { queryRows } from "../../lib/query.js";
import type { TenantCtx } from "../context.js";

export interface UnmappedRow {
  source: string;
  rule_id: string;
  title: string;
  strategy: string;
  findings: number;
  open: number;
  first_seen_at: Date;
  last_seen_at: Date;
}

/**
 * The check ids this tenant's findings carry that no mapping table knows (taxonomy.mapped = false): they were
 * placed by the tool's own category, and each row is a gap in the mapping tables to close.
 */
export async function listUnmapped({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { source?: string };
}): Promise<UnmappedRow[]> {
  return withTenant(ctx.pool, ctx.tenantId, (_db, client) =>
    queryRows<UnmappedRow>(
      client,
      sql`select f.source, f.rule_id, min(f.title) as title, min(f.strategy) as strategy, count(*)::int as findings,
            (count(*) filter (where f.status = 'open'))::int as open,
            min(f.first_seen_at) as first_seen_at, max(${LAST_SEEN}) as last_seen_at
          from findings f ${SEEN_HEAD_JOIN}
          where f.tenant_id = ${ctx.tenantId} and not f.mapped
            ${input.source ? sql`and f.source = ${input.source}` : sql``}
          group by f.source, f.rule_id
          order by count(*) desc, f.source, f.rule_id
          limit 1000`,
    ),
  );
}
