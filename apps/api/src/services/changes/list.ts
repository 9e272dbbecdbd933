import { withTenant } from "@bulwark/runtime";
import { sql } from "drizzle-orm";
import { queryRows } from "../../lib/query.js";
import type { TenantCtx } from "../context.js";
import { type FindingFilters, filterConditions } from "../findings/filters.js";
import { FINDING_COLUMNS, type FindingRow } from "../findings/select.js";

export const CHANGE_TYPES = ["new", "resolved", "reopened", "suppressed", "unsuppressed"] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

export interface ListChangesInput extends Omit<FindingFilters, "status"> {
  since: string;
  until: string;
  types?: ChangeType[];
  limit: number;
  after?: { at: string; id: number };
}

export interface ChangeRow extends FindingRow {
  event_id: number;
  event_kind: ChangeType;
  event_at: Date;
  event_at_key: string;
  event_report_id: string | null;
  event_suppression_id: string | null;
}

/**
 * Status changes in [since, until), oldest first, each with the finding as it is now: the single source for
 * digests, webhooks and "what changed" questions. Keyset on (at, event id).
 */
export async function listChanges({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: ListChangesInput;
}): Promise<{ items: ChangeRow[]; next: { at: string; id: number } | null }> {
  const rows = await withTenant(ctx.pool, ctx.tenantId, async (_db, client) => {
    const where = await filterConditions(client, ctx.tenantId, input);
    if (!where) return [];
    where.push(sql`e.tenant_id = ${ctx.tenantId}`);
    where.push(sql`e.at >= ${input.since}::timestamptz and e.at < ${input.until}::timestamptz`);
    if (input.types && input.types.length > 0) {
      where.push(
        sql`e.kind in (${sql.join(
          input.types.map((t) => sql`${t}`),
          sql`, `,
        )})`,
      );
    }
    if (input.after) {
      where.push(sql`(e.at, e.id) > (${input.after.at}::timestamptz, ${input.after.id}::bigint)`);
    }
    return queryRows<ChangeRow>(
      client,
      sql`
      select e.id as event_id, e.kind as event_kind, e.at as event_at,
        to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as event_at_key,
        e.report_id as event_report_id, e.suppression_id as event_suppression_id,
        ${FINDING_COLUMNS}
      from finding_events e
      join findings f on f.tenant_id = e.tenant_id and f.id = e.finding_id
      join clusters c on c.id = f.cluster_id and c.tenant_id = f.tenant_id
      where ${sql.join(where, sql` and `)}
      order by e.at asc, e.id asc
      limit ${input.limit + 1}`,
    );
  });
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return {
    items,
    next: rows.length > input.limit && last ? { at: last.event_at_key, id: last.event_id } : null,
  };
}
