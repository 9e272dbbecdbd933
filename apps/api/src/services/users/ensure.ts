import { withActor } from "@bulwark/runtime";
import { newId, type Role, tables } from "@bulwark/schema";
import { and, eq, sql } from "drizzle-orm";
import type pg from "pg";
import { pgCode } from "../../errors.js";
import { findUserByEmail, type UserRecord } from "./find-by-email.js";

const { users, memberships } = tables;

/**
 * The user with this e-mail, created when there is none (invitation, SSO just-in-time). A concurrent creation
 * of the same e-mail loses the unique index race and reads the winner.
 */
export async function ensureUser({
  ctx,
  input,
}: {
  ctx: { pool: pg.Pool };
  input: { email: string; displayName: string; passwordHash?: string | null };
}): Promise<UserRecord & { created: boolean }> {
  const existing = await findUserByEmail({ ctx, input: { email: input.email } });
  if (existing) return { ...existing, created: false };
  const id = newId("user");
  const email = input.email.toLowerCase();
  try {
    await withActor(ctx.pool, { userId: id }, (db) =>
      db.insert(users).values({
        id,
        email,
        displayName: input.displayName,
        passwordHash: input.passwordHash ?? null,
        passwordChangedAt: input.passwordHash ? sql`now()` : null,
      }),
    );
  } catch (e) {
    if (pgCode(e) !== "23505") throw e;
    const winner = await findUserByEmail({ ctx, input: { email } });
    if (!winner) throw e;
    return { ...winner, created: false };
  }
  return {
    id,
    email,
    displayName: input.displayName,
    passwordHash: input.passwordHash ?? null,
    created: true,
  };
}

/** Add a membership, or keep the existing one (its role unchanged). Returns the role the user now has. */
export async function ensureMembership({
  ctx,
  input,
}: {
  ctx: { pool: pg.Pool; tenantId: string };
  input: { userId: string; role: Role };
}): Promise<Role> {
  return withActor(ctx.pool, { userId: input.userId, tenantId: ctx.tenantId }, async (db) => {
    await db
      .insert(memberships)
      .values({ tenantId: ctx.tenantId, userId: input.userId, role: input.role })
      .onConflictDoNothing();
    const [row] = await db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.tenantId, ctx.tenantId), eq(memberships.userId, input.userId)));
    return (row?.role ?? input.role) as Role;
  });
}
