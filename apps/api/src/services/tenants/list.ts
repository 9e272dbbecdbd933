import type pg from "pg";

export interface TenantUsage {
  id: string;
  name: string;
  createdAt: Date;
  cursorAt: string;
  suspendedAt: Date | null;
  suspendedReason: string | null;
  usage: { members: number; clusters: number; openFindings: number; reportsLast30Days: number };
}

/** The operator's view across tenants (SECURITY DEFINER function), newest first, keyset on (createdAt, id). */
export async function listTenants({
  ctx,
  input,
}: {
  ctx: { pool: pg.Pool };
  input: { limit: number; after: [string, string] | null; id?: string };
}): Promise<TenantUsage[]> {
  const { rows } = await ctx.pool.query<{
    id: string;
    name: string;
    created_at: Date;
    cursor_at: string;
    suspended_at: Date | null;
    suspended_reason: string | null;
    members: number;
    clusters: number;
    open_findings: number;
    reports_30d: number;
  }>("select * from bulwark_tenants_page($1, $2, $3, $4)", [
    input.after?.[0] ?? null,
    input.after?.[1] ?? null,
    input.limit,
    input.id ?? null,
  ]);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    cursorAt: r.cursor_at,
    suspendedAt: r.suspended_at,
    suspendedReason: r.suspended_reason,
    usage: {
      members: r.members,
      clusters: r.clusters,
      openFindings: r.open_findings,
      reportsLast30Days: r.reports_30d,
    },
  }));
}
