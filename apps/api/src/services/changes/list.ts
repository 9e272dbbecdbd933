import {
  CHANGE_TYPES,
  type ChangeRow,
  type ChangeType,
  type ListChangesInput,
  listChangesOn,
} from "@bulwark/insights";
import { withTenant } from "@bulwark/runtime";
import type { TenantCtx } from "../context.js";

export { CHANGE_TYPES, type ChangeRow, type ChangeType, type ListChangesInput };

/** GET /v1/changes: the shared changes query (packages/insights) in the caller's tenant. */
export async function listChanges({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: ListChangesInput;
}): Promise<{ items: ChangeRow[]; next: { at: string; id: number } | null }> {
  return withTenant(ctx.pool, ctx.tenantId, (_db, client) => listChangesOn(client, ctx.tenantId, input));
}
