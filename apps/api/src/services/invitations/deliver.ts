import { type Logger, type Mailer, safeError } from "@bulwark/runtime";
import type { Role } from "@bulwark/schema";
import type pg from "pg";
import { ApiError } from "../../errors.js";
import { escapeHtml } from "../../lib/html.js";
import { getTenantSelf } from "../me/tenant-name.js";
import { createInvitation, type InvitationView } from "./create.js";
import { revokeInvitation } from "./list.js";

export interface DeliveredInvitation {
  invitation: InvitationView;
  delivery: "email" | "link";
  acceptUrl?: string;
}

/**
 * Invite, then deliver: by e-mail when a mailer is configured (the link then reaches the invitee only), else
 * the link goes back to the inviting admin to pass on. A message the SMTP server refuses revokes the
 * invitation again and answers 503, so no unusable invitation lingers as pending.
 */
export async function inviteAndDeliver({
  ctx,
  input,
}: {
  ctx: { pool: pg.Pool; tenantId: string; ttlHours: number; mailer: Mailer | null; logger: Logger };
  input: { email: string; role: Role; invitedBy: string; origin: string };
}): Promise<DeliveredInvitation> {
  const tenant = await getTenantSelf({ ctx });
  if (!tenant) throw new ApiError("not_found", `tenant ${ctx.tenantId} not found`);
  const { invitation, token } = await createInvitation({ ctx, input });
  const acceptUrl = `${input.origin}/v1/auth/invitations/accept?token=${encodeURIComponent(token)}`;
  if (!ctx.mailer) return { invitation, delivery: "link", acceptUrl };
  const name = tenant.name;
  const hours = ctx.ttlHours;
  try {
    await ctx.mailer.send({
      to: invitation.email,
      subject: `You are invited to ${name} on Bulwark`,
      text: [
        `You are invited to join ${name} on Bulwark as ${invitation.role}.`,
        "",
        `Accept within ${hours} hours (the link works once):`,
        acceptUrl,
        "",
        "If you did not expect this, ignore this message.",
      ].join("\n"),
      html: `<p>You are invited to join <strong>${escapeHtml(name)}</strong> on Bulwark as
<strong>${escapeHtml(invitation.role)}</strong>.</p>
<p><a href="${escapeHtml(acceptUrl)}">Accept the invitation</a> within ${hours} hours (the link works once).</p>
<p>If you did not expect this, ignore this message.</p>`,
    });
  } catch (e) {
    ctx.logger.warn({ err: safeError(e), invitationId: invitation.id }, "invitation e-mail not sent");
    await revokeInvitation({ ctx, input: { id: invitation.id } }).catch(() => {});
    throw new ApiError("unavailable", `the invitation e-mail could not be sent: ${(e as Error).message}`, {
      retryAfter: 60,
    });
  }
  return { invitation, delivery: "email" };
}

export function invitationStatus(i: InvitationView): "pending" | "accepted" | "revoked" | "expired" {
  if (i.acceptedAt) return "accepted";
  if (i.revokedAt) return "revoked";
  return i.expiresAt.getTime() <= Date.now() ? "expired" : "pending";
}

export function invitationJson(i: InvitationView) {
  return {
    id: i.id,
    email: i.email,
    role: i.role,
    status: invitationStatus(i),
    invitedBy: i.invitedBy,
    createdAt: i.createdAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(),
    acceptedAt: i.acceptedAt?.toISOString() ?? null,
  };
}
