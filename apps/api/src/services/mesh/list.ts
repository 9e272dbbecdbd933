import { withTenant } from "@bulwark/runtime";
import { sql } from "drizzle-orm";
import { queryRows } from "../../lib/query.js";
import type { MeshFacts } from "../../routes/mesh/schema.js";
import type { TenantCtx } from "../context.js";
import { type CoverageRow, type MeshCoverageView, toView } from "./row.js";

type ShareKey = "mtlsStrict" | "authorized" | "meshed" | "endUserAuth";
type Share = { count: number; total: number; share: number | null };

export interface MeshCoverageTotals {
  clusters: number;
  workloads: number;
  mtlsStrict: Share;
  authorized: Share;
  meshed: Share;
  endUserAuth: Share;
}

const ratio = (count: number, total: number) =>
  total === 0 ? null : Math.round((count / total) * 10_000) / 10_000;

/** Tenant totals: counts summed over clusters, shares recomputed from the sums (not averaged). */
export function totals(facts: readonly MeshFacts[]): MeshCoverageTotals {
  const sum = (k: ShareKey): Share => {
    const count = facts.reduce((n, f) => n + (f[k]?.count ?? 0), 0);
    const total = facts.reduce((n, f) => n + (f[k]?.total ?? 0), 0);
    return { count, total, share: ratio(count, total) };
  };
  return {
    clusters: facts.length,
    workloads: facts.reduce((n, f) => n + f.workloads, 0),
    mtlsStrict: sum("mtlsStrict"),
    authorized: sum("authorized"),
    meshed: sum("meshed"),
    endUserAuth: sum("endUserAuth"),
  };
}

/** Every cluster of the tenant with its latest mesh coverage facts (null before its first mesh-config report). */
export async function listMeshCoverage({
  ctx,
}: {
  ctx: TenantCtx;
}): Promise<{ items: MeshCoverageView[]; total: MeshCoverageTotals }> {
  const rows = await withTenant(ctx.pool, ctx.tenantId, (_db, client) =>
    queryRows<CoverageRow>(
      client,
      sql`select c.id, c.name, m.report_id, m.collected_at, m.facts
          from clusters c
          left join mesh_coverage m on m.tenant_id = c.tenant_id and m.cluster_id = c.id
          where c.tenant_id = ${ctx.tenantId}
          order by c.name`,
    ),
  );
  const items = rows.map(toView);
  return { items, total: totals(items.flatMap((i) => (i.facts ? [i.facts] : []))) };
}
