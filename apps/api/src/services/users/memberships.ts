import { withActor } from "@bulwark/runtime";
import { isRole, type Role, tables } from "@bulwark/schema";
import { asc, eq } from "drizzle-orm";
import type pg from "pg";

const { memberships, tenants } = tables;

export interface UserTenant {
  id: string;
  name: string;
  role: Role;
  suspended: boolean;
}

/** The tenants a user belongs to, with their role in each (RLS: the user's own memberships). */
export async function userTenants({
  ctx,
}: {
  ctx: { pool: pg.Pool; userId: string };
}): Promise<UserTenant[]> {
  const rows = await withActor(ctx.pool, { userId: ctx.userId }, (db) =>
    db
      .select({
        id: tenants.id,
        name: tenants.name,
        role: memberships.role,
        suspendedAt: tenants.suspendedAt,
      })
      .from(memberships)
      .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
      .where(eq(memberships.userId, ctx.userId))
      .orderBy(asc(tenants.name), asc(tenants.id)),
  );
  return rows
    .filter((r) => isRole(r.role))
    .map((r) => ({ id: r.id, name: r.name, role: r.role as Role, suspended: r.suspendedAt !== null }));
}
