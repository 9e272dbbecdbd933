import { withTenant } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { and, desc, eq, gt, sql } from "drizzle-orm";
import type { TenantCtx } from "../context.js";
import type { SuppressionRow } from "./row.js";

const { suppressions } = tables;

/** The tenant's suppressions, newest first; expired ones only when asked for. */
export async function listSuppressions({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { includeExpired: boolean };
}): Promise<SuppressionRow[]> {
  const tenant = eq(suppressions.tenantId, ctx.tenantId);
  return withTenant(ctx.pool, ctx.tenantId, (db) =>
    db
      .select()
      .from(suppressions)
      .where(input.includeExpired ? tenant : and(tenant, gt(suppressions.expiresAt, sql`now()`)))
      .orderBy(desc(suppressions.createdAt), desc(suppressions.id)),
  );
}
