import { withActor, withTenant } from "@bulwark/runtime";
import { type Role, tables } from "@bulwark/schema";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type pg from "pg";
import { parseOneTimeToken } from "../../auth/one-time-token.js";
import { ApiError } from "../../errors.js";

const { signInLinks, memberships, users, tenants } = tables;
const GONE = "sign-in link not found, already used or expired";

/** Use a one-time sign-in link up (atomically: two requests with one link cannot both succeed). */
export async function consumeSignInLink({
  ctx,
  input,
}: {
  ctx: { pool: pg.Pool };
  input: { token: string };
}): Promise<{
  user: { id: string; email: string; displayName: string };
  tenant: { id: string; name: string };
  role: Role;
}> {
  const parsed = parseOneTimeToken("bwl", input.token);
  if (!parsed) throw new ApiError("not_found", GONE);
  const [used] = await withTenant(ctx.pool, parsed.tenantId, (db) =>
    db
      .update(signInLinks)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(signInLinks.tenantId, parsed.tenantId),
          eq(signInLinks.tokenHash, parsed.hash),
          isNull(signInLinks.usedAt),
          gt(signInLinks.expiresAt, sql`now()`),
        ),
      )
      .returning({ userId: signInLinks.userId }),
  );
  if (!used) throw new ApiError("not_found", GONE);
  const [row] = await withActor(ctx.pool, { userId: used.userId, tenantId: parsed.tenantId }, (db) =>
    db
      .select({
        email: users.email,
        displayName: users.displayName,
        role: memberships.role,
        tenantName: tenants.name,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
      .where(and(eq(memberships.tenantId, parsed.tenantId), eq(memberships.userId, used.userId))),
  );
  if (!row) throw new ApiError("forbidden", "the link's user is no longer a member of its tenant");
  return {
    user: { id: used.userId, email: row.email, displayName: row.displayName },
    tenant: { id: parsed.tenantId, name: row.tenantName },
    role: row.role as Role,
  };
}
