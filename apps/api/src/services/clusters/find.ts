import type { Db } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { and, eq, or } from "drizzle-orm";

const { clusters } = tables;

/**
 * A cluster of the tenant by id, or by id or name when `byName` (query filters accept either).
 * Runs inside the caller's withTenant transaction.
 */
export async function findCluster(
  db: Db,
  tenantId: string,
  ref: string,
  byName = false,
): Promise<{ id: string; name: string } | null> {
  const match = byName ? or(eq(clusters.id, ref), eq(clusters.name, ref)) : eq(clusters.id, ref);
  const rows = await db
    .select({ id: clusters.id, name: clusters.name })
    .from(clusters)
    .where(and(eq(clusters.tenantId, tenantId), match))
    .limit(1);
  return rows[0] ?? null;
}
