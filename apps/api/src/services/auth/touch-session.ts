import { withActor } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { and, eq, lt, sql } from "drizzle-orm";

const { sessions } = tables;

/** Record that a session was used (the idle timeout counts from here), at most once a minute. */
export async function touchSession({
  ctx,
  input,
}: {
  ctx: { pool: import("pg").Pool; userId: string };
  input: { sessionId: string };
}): Promise<void> {
  await withActor(ctx.pool, { userId: ctx.userId }, (db) =>
    db
      .update(sessions)
      .set({ lastSeenAt: sql`now()` })
      .where(
        and(
          eq(sessions.userId, ctx.userId),
          eq(sessions.id, input.sessionId),
          lt(sessions.lastSeenAt, sql`now() - interval '1 minute'`),
        ),
      ),
  );
}
