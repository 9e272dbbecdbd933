import { withActor, withTenant } from "@bulwark/runtime";
import { newId, type Role, tables } from "@bulwark/schema";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type pg from "pg";
import { parseOneTimeToken } from "../../auth/one-time-token.js";
import { ApiError } from "../../errors.js";
import { findUserByEmail } from "../users/find-by-email.js";

const { invitations, memberships, users, sessions, tenants } = tables;

const GONE = "invitation not found, already used, revoked or expired";

export interface InvitationPreview {
  tenantId: string;
  tenantName: string;
  email: string;
  role: Role;
  expiresAt: Date;
  accountExists: boolean;
}

/** What an invitation link offers, for the page that asks to accept it (uses nothing up). */
export async function previewInvitation({
  ctx,
  input,
}: {
  ctx: { pool: pg.Pool };
  input: { token: string };
}): Promise<InvitationPreview> {
  const parsed = parseOneTimeToken("bwi", input.token);
  if (!parsed) throw new ApiError("not_found", GONE);
  const [row] = await withTenant(ctx.pool, parsed.tenantId, (db) =>
    db
      .select({
        email: invitations.email,
        role: invitations.role,
        expiresAt: invitations.expiresAt,
        name: tenants.name,
      })
      .from(invitations)
      .innerJoin(tenants, eq(tenants.id, invitations.tenantId))
      .where(
        and(
          eq(invitations.tenantId, parsed.tenantId),
          eq(invitations.tokenHash, parsed.hash),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, sql`now()`),
        ),
      ),
  );
  if (!row) throw new ApiError("not_found", GONE);
  const existing = await findUserByEmail({ ctx, input: { email: row.email } });
  return {
    tenantId: parsed.tenantId,
    tenantName: row.name,
    email: row.email,
    role: row.role as Role,
    expiresAt: row.expiresAt,
    accountExists: existing !== null,
  };
}

export interface Accepted {
  user: { id: string; email: string; displayName: string };
  tenant: { id: string; name: string };
  role: Role;
}

/**
 * Accept: in one transaction the invitation is used up, the account is created (new e-mail) or its password
 * replaced (existing account, not signed in as it: holding the link proves the mailbox, as a reset link would;
 * the account's other sessions end), and the membership added. `passwordHash` is null only when the caller is
 * signed in as the invited user.
 */
export async function acceptInvitation({
  ctx,
  input,
}: {
  ctx: { pool: pg.Pool };
  input: {
    token: string;
    passwordHash: string | null;
    displayName: string | null;
    signedInUserId: string | null;
  };
}): Promise<Accepted> {
  const preview = await previewInvitation({ ctx, input: { token: input.token } });
  const parsed = parseOneTimeToken("bwi", input.token);
  if (!parsed) throw new ApiError("not_found", GONE);
  const existing = await findUserByEmail({ ctx, input: { email: preview.email } });
  const userId = existing?.id ?? newId("user");
  const signedInAsInvitee = existing !== null && input.signedInUserId === existing.id;
  if (!signedInAsInvitee && !input.passwordHash) {
    throw new ApiError("validation_failed", "a password is required to accept this invitation", {
      errors: [{ location: "body.password", message: "required" }],
    });
  }
  const displayName =
    input.displayName ?? existing?.displayName ?? preview.email.split("@")[0] ?? preview.email;
  const role = await withActor(ctx.pool, { userId, tenantId: parsed.tenantId }, async (db) => {
    const used = await db
      .update(invitations)
      .set({ acceptedAt: sql`now()`, acceptedBy: userId })
      .where(
        and(
          eq(invitations.tenantId, parsed.tenantId),
          eq(invitations.tokenHash, parsed.hash),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, sql`now()`),
        ),
      )
      .returning({ role: invitations.role });
    if (used.length === 0) throw new ApiError("not_found", GONE);
    if (!existing) {
      await db.insert(users).values({
        id: userId,
        email: preview.email,
        displayName,
        passwordHash: input.passwordHash,
        passwordChangedAt: sql`now()`,
      });
    } else if (!signedInAsInvitee && input.passwordHash) {
      await db
        .update(users)
        .set({ passwordHash: input.passwordHash, passwordChangedAt: sql`now()`, displayName })
        .where(eq(users.id, userId));
      await db.delete(sessions).where(eq(sessions.userId, userId));
    }
    const invitedRole = (used[0]?.role ?? "viewer") as Role;
    await db
      .insert(memberships)
      .values({ tenantId: parsed.tenantId, userId, role: invitedRole })
      .onConflictDoNothing();
    const [m] = await db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.tenantId, parsed.tenantId), eq(memberships.userId, userId)));
    return (m?.role ?? invitedRole) as Role;
  });
  return {
    user: { id: userId, email: preview.email, displayName },
    tenant: { id: parsed.tenantId, name: preview.tenantName },
    role,
  };
}
