import { withTenant } from "@bulwark/runtime";
import { newId, type Role, tables } from "@bulwark/schema";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type pg from "pg";
import { newOneTimeToken } from "../../auth/one-time-token.js";
import { ApiError } from "../../errors.js";

const { invitations, memberships, users } = tables;

export interface InvitationView {
  id: string;
  email: string;
  role: Role;
  invitedBy: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

/**
 * A single-use invitation link for `email` to join with `role`. An existing member answers 409; a pending
 * invitation for the same e-mail is revoked (the new link replaces it).
 */
export async function createInvitation({
  ctx,
  input,
}: {
  ctx: { pool: pg.Pool; tenantId: string; ttlHours: number };
  input: { email: string; role: Role; invitedBy: string };
}): Promise<{ invitation: InvitationView; token: string }> {
  const email = input.email.toLowerCase();
  const { token, hash } = newOneTimeToken("bwi", ctx.tenantId);
  const id = newId("invitation");
  const row = await withTenant(ctx.pool, ctx.tenantId, async (db) => {
    const member = await db
      .select({ userId: memberships.userId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.tenantId, ctx.tenantId), sql`lower(${users.email}) = ${email}`));
    if (member.length > 0) throw new ApiError("conflict", `${email} is already a member of this tenant`);
    await db
      .update(invitations)
      .set({ revokedAt: sql`now()` })
      .where(
        and(
          eq(invitations.tenantId, ctx.tenantId),
          eq(invitations.email, email),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, sql`now()`),
        ),
      );
    const [inserted] = await db
      .insert(invitations)
      .values({
        id,
        tenantId: ctx.tenantId,
        email,
        role: input.role,
        tokenHash: hash,
        invitedBy: input.invitedBy,
        expiresAt: sql`now() + make_interval(hours => ${ctx.ttlHours})`,
      })
      .returning();
    return inserted;
  });
  if (!row) throw new Error("insert returned nothing");
  return { invitation: view(row), token };
}

export function view(r: typeof invitations.$inferSelect): InvitationView {
  return {
    id: r.id,
    email: r.email,
    role: r.role as Role,
    invitedBy: r.invitedBy,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    acceptedAt: r.acceptedAt,
    revokedAt: r.revokedAt,
  };
}
