import { type FindingGroup, type GroupsInput, groupFindingsOn } from "@bulwark/insights";
import { withTenant } from "@bulwark/runtime";
import type { TenantCtx } from "../context.js";

export type { FindingGroup, GroupsInput };

/** GET /v1/findings/groups: the shared groups query (packages/insights) in the caller's tenant. */
export async function groupFindings({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: GroupsInput;
}): Promise<{ items: FindingGroup[]; next: [number, number, string, string] | null }> {
  return withTenant(ctx.pool, ctx.tenantId, (_db, client) => groupFindingsOn(client, ctx.tenantId, input));
}
