import { type SlaReport, slaReportOn } from "@bulwark/insights";
import { withTenant } from "@bulwark/runtime";
import type { TenantCtx } from "../context.js";

export interface SlaInput {
  cluster?: string;
  windowDays: number;
  limit: number;
  after?: { due: string; id: string };
}

/** GET /v1/sla: the shared SLA report (packages/insights) for the tenant or one cluster. */
export async function getSlaReport({ ctx, input }: { ctx: TenantCtx; input: SlaInput }): Promise<SlaReport> {
  const { cluster, ...rest } = input;
  return withTenant(ctx.pool, ctx.tenantId, (db, client) =>
    slaReportOn(db, client, ctx.tenantId, { ...rest, filters: cluster ? { cluster } : {} }),
  );
}
