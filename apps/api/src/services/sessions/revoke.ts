import { withActor } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { and, eq } from "drizzle-orm";
import type pg from "pg";

const { sessions } = tables;

/** Sign out: delete this session. */
export async function revokeSession({
  ctx,
  input,
}: {
  ctx: { pool: pg.Pool; userId: string };
  input: { sessionId: string };
}): Promise<void> {
  await withActor(ctx.pool, { userId: ctx.userId }, (db) =>
    db.delete(sessions).where(and(eq(sessions.userId, ctx.userId), eq(sessions.id, input.sessionId))),
  );
}

/**
 * Sign out everywhere: every session of the user. From a session bound to one tenant (SSO, one-time link) only
 * that tenant's sessions go: such a session was vouched for by that tenant alone, so it must not reach the
 * user's sessions elsewhere.
 */
export async function revokeAllSessions({
  ctx,
  input,
}: {
  ctx: { pool: pg.Pool; userId: string };
  input: { onlyTenantId: string | null };
}): Promise<number> {
  const rows = await withActor(ctx.pool, { userId: ctx.userId }, (db) =>
    db
      .delete(sessions)
      .where(
        and(
          eq(sessions.userId, ctx.userId),
          input.onlyTenantId ? eq(sessions.tenantId, input.onlyTenantId) : undefined,
        ),
      )
      .returning({ id: sessions.id }),
  );
  return rows.length;
}
