import { withTenant } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { ApiError } from "../../errors.js";
import type { TenantCtx } from "../context.js";
import { type InvitationView, view } from "./create.js";

const { invitations } = tables;

/** The tenant's invitations, newest first; `pending` only those still usable. At most 500. */
export async function listInvitations({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { pending: boolean };
}): Promise<InvitationView[]> {
  const rows = await withTenant(ctx.pool, ctx.tenantId, (db) =>
    db
      .select()
      .from(invitations)
      .where(
        and(
          eq(invitations.tenantId, ctx.tenantId),
          input.pending
            ? and(
                isNull(invitations.acceptedAt),
                isNull(invitations.revokedAt),
                sql`${invitations.expiresAt} > now()`,
              )
            : undefined,
        ),
      )
      .orderBy(desc(invitations.createdAt), desc(invitations.id))
      .limit(500),
  );
  return rows.map(view);
}

/** Revoke an invitation (idempotent); an accepted one cannot be revoked (remove the member instead). */
export async function revokeInvitation({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { id: string };
}): Promise<void> {
  await withTenant(ctx.pool, ctx.tenantId, async (db) => {
    const where = and(eq(invitations.tenantId, ctx.tenantId), eq(invitations.id, input.id));
    const [row] = await db
      .select({ acceptedAt: invitations.acceptedAt })
      .from(invitations)
      .where(where)
      .for("update");
    if (!row) throw new ApiError("not_found", `invitation ${input.id} not found`);
    if (row.acceptedAt) {
      throw new ApiError("conflict", "the invitation was already accepted; remove the member instead");
    }
    await db
      .update(invitations)
      .set({ revokedAt: sql`coalesce(${invitations.revokedAt}, now())` })
      .where(where);
  });
}
