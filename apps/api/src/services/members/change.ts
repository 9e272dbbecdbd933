import { withTenant } from "@bulwark/runtime";
import { type Role, tables } from "@bulwark/schema";
import { and, eq, isNull, sql } from "drizzle-orm";
import { ApiError } from "../../errors.js";
import type { TenantCtx } from "../context.js";

const { memberships, tenants, apiTokens, sessions, userIdentities } = tables;

type Db = Parameters<Parameters<typeof withTenant>[2]>[0];

/**
 * Owner rules shared by role changes and removals, under a lock on the tenant row so two concurrent changes
 * cannot both remove "the other" owner: only an owner touches an owner or grants the role, and the last owner
 * stays.
 */
async function currentRole(db: Db, ctx: TenantCtx, userId: string, actorRole: Role | null): Promise<Role> {
  await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, ctx.tenantId)).for("update");
  const [m] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.tenantId, ctx.tenantId), eq(memberships.userId, userId)));
  if (!m) throw new ApiError("not_found", `member ${userId} not found`);
  if (m.role === "owner" && actorRole !== "owner") {
    throw new ApiError("forbidden", "only an owner may change or remove an owner");
  }
  return m.role as Role;
}

async function assertAnotherOwner(db: Db, ctx: TenantCtx): Promise<void> {
  const [n] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(memberships)
    .where(and(eq(memberships.tenantId, ctx.tenantId), eq(memberships.role, "owner")));
  if ((n?.n ?? 0) <= 1)
    throw new ApiError("conflict", "a tenant keeps at least one owner: make another owner first");
}

export async function changeMemberRole({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { userId: string; role: Role; actorRole: Role | null };
}): Promise<void> {
  if (input.role === "owner" && input.actorRole !== "owner") {
    throw new ApiError("forbidden", "only an owner may grant the owner role");
  }
  await withTenant(ctx.pool, ctx.tenantId, async (db) => {
    const was = await currentRole(db, ctx, input.userId, input.actorRole);
    if (was === "owner" && input.role !== "owner") await assertAnotherOwner(db, ctx);
    await db
      .update(memberships)
      .set({ role: input.role })
      .where(and(eq(memberships.tenantId, ctx.tenantId), eq(memberships.userId, input.userId)));
  });
}

/**
 * Remove a member: the membership, their sessions acting in this tenant, their SSO links here, and their API
 * tokens of this tenant are revoked (kept, as revoked, for the record).
 */
export async function removeMember({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { userId: string; actorRole: Role | null };
}): Promise<void> {
  await withTenant(ctx.pool, ctx.tenantId, async (db) => {
    const was = await currentRole(db, ctx, input.userId, input.actorRole);
    if (was === "owner") await assertAnotherOwner(db, ctx);
    const t = ctx.tenantId;
    const u = input.userId;
    await db.delete(memberships).where(and(eq(memberships.tenantId, t), eq(memberships.userId, u)));
    await db.delete(sessions).where(and(eq(sessions.tenantId, t), eq(sessions.userId, u)));
    await db.delete(userIdentities).where(and(eq(userIdentities.tenantId, t), eq(userIdentities.userId, u)));
    await db
      .update(apiTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiTokens.tenantId, t), eq(apiTokens.userId, u), isNull(apiTokens.revokedAt)));
  });
}
