import { withTenant } from "@bulwark/runtime";
import { type Role, tables } from "@bulwark/schema";
import { and, asc, eq, gt, or } from "drizzle-orm";
import type { TenantCtx } from "../context.js";

const { memberships, users } = tables;

export interface Member {
  userId: string;
  email: string;
  displayName: string;
  role: Role;
  joinedAt: Date;
}

/** Members by e-mail, keyset-paged on (email, user id). */
export async function listMembers({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { limit: number; after: [string, string] | null };
}): Promise<Member[]> {
  const rows = await withTenant(ctx.pool, ctx.tenantId, (db) =>
    db
      .select({
        userId: memberships.userId,
        email: users.email,
        displayName: users.displayName,
        role: memberships.role,
        joinedAt: memberships.createdAt,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.tenantId, ctx.tenantId),
          input.after
            ? or(
                gt(users.email, input.after[0]),
                and(eq(users.email, input.after[0]), gt(memberships.userId, input.after[1])),
              )
            : undefined,
        ),
      )
      .orderBy(asc(users.email), asc(memberships.userId))
      .limit(input.limit),
  );
  return rows.map((r) => ({ ...r, role: r.role as Role }));
}
