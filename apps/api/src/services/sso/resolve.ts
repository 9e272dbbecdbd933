import { withTenant } from "@bulwark/runtime";
import { type Role, tables } from "@bulwark/schema";
import { and, eq, isNull, sql } from "drizzle-orm";
import type pg from "pg";
import { ApiError } from "../../errors.js";
import { ensureMembership, ensureUser } from "../users/ensure.js";
import { findUserByEmail } from "../users/find-by-email.js";

const { userIdentities, memberships, invitations, tenants } = tables;

export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string;
  emailVerified: boolean | undefined;
  name: string | undefined;
}

/**
 * Who an OIDC sign-in at a tenant is (by e-mail; the provider's subject is recorded in user_identities), and
 * whether they may come in. The e-mail must be verified (unless the
 * provider says nothing) and in an allowed domain. Then, in order: a member already linked to this subject or
 * with this e-mail; a pending invitation for the e-mail (accepted now); just-in-time membership with the
 * provider's default role; otherwise 403. The provider vouches for this tenant only: the session it opens is
 * bound to the tenant (no switching to the user's other tenants).
 */
export async function resolveOidcMember({
  ctx,
  input,
}: {
  ctx: { pool: pg.Pool; tenantId: string };
  input: { identity: OidcIdentity; allowedDomains: string[]; jitRole: Role | null };
}): Promise<{
  user: { id: string; email: string; displayName: string };
  tenant: { id: string; name: string };
  role: Role;
}> {
  const { identity } = input;
  const email = identity.email.toLowerCase();
  if (identity.emailVerified === false)
    throw new ApiError("forbidden", "the identity provider has not verified your e-mail");
  const domain = email.split("@")[1] ?? "";
  if (input.allowedDomains.length > 0 && !input.allowedDomains.includes(domain)) {
    throw new ApiError("forbidden", `e-mail domain ${domain} is not allowed to sign in to this tenant`);
  }
  const t = ctx.tenantId;
  const byEmail = await findUserByEmail({ ctx, input: { email } });
  const userId = byEmail?.id ?? null;
  const state = await withTenant(ctx.pool, t, async (db) => {
    const [tenant] = await db.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, t));
    const [member] = userId
      ? await db
          .select({ role: memberships.role })
          .from(memberships)
          .where(and(eq(memberships.tenantId, t), eq(memberships.userId, userId)))
      : [];
    // the newest pending invitation for this e-mail, used up here
    const [inv] = member
      ? []
      : await db
          .update(invitations)
          .set({ acceptedAt: sql`now()` })
          .where(
            eq(
              invitations.id,
              sql`(select id from invitations where tenant_id = ${t} and email = ${email} and accepted_at is null
                   and revoked_at is null and expires_at > now() order by created_at desc limit 1)`,
            ),
          )
          .returning({ id: invitations.id, role: invitations.role });
    return { tenantName: tenant?.name ?? "", memberRole: member?.role as Role | undefined, invited: inv };
  });
  let role = state.memberRole;
  const displayName = identity.name?.trim() || email.split("@")[0] || email;
  const user = byEmail ?? (await ensureUser({ ctx, input: { email, displayName } }));
  if (!role) {
    const grant = (state.invited?.role as Role | undefined) ?? input.jitRole;
    if (!grant) {
      throw new ApiError(
        "forbidden",
        "you are not a member of this tenant; ask one of its admins to invite you",
      );
    }
    role = await ensureMembership({ ctx, input: { userId: user.id, role: grant } });
    if (state.invited) {
      await withTenant(ctx.pool, t, (db) =>
        db
          .update(invitations)
          .set({ acceptedBy: user.id })
          .where(and(eq(invitations.id, state.invited?.id ?? ""), isNull(invitations.acceptedBy))),
      );
    }
  }
  await withTenant(ctx.pool, t, (db) =>
    db
      .insert(userIdentities)
      .values({ tenantId: t, issuer: identity.issuer, subject: identity.subject, userId: user.id })
      .onConflictDoNothing(),
  );
  return {
    user: { id: user.id, email: user.email, displayName: user.displayName },
    tenant: { id: t, name: state.tenantName },
    role,
  };
}
