import { withActor } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { eq } from "drizzle-orm";
import type pg from "pg";

export interface UserSelf {
  id: string;
  email: string;
  displayName: string;
  hasPassword: boolean;
}

/** The user's own row (RLS: bulwark.user_id). */
export async function getUserSelf({
  ctx,
}: {
  ctx: { pool: pg.Pool; userId: string };
}): Promise<UserSelf | null> {
  const rows = await withActor(ctx.pool, { userId: ctx.userId }, (db) =>
    db
      .select({
        id: tables.users.id,
        email: tables.users.email,
        displayName: tables.users.displayName,
        passwordHash: tables.users.passwordHash,
      })
      .from(tables.users)
      .where(eq(tables.users.id, ctx.userId)),
  );
  const r = rows[0];
  return r
    ? { id: r.id, email: r.email, displayName: r.displayName, hasPassword: r.passwordHash !== null }
    : null;
}
