import { ROLES, TOKEN_SCOPES } from "@bulwark/schema";
import { z } from "@hono/zod-openapi";
import { publicOrigin } from "../../auth/cookies.js";
import type { Api } from "../../env.js";
import { ApiError } from "../../errors.js";
import { CreateInvitationBody } from "../../routes/invitations/schema.js";
import { ownerOrNot } from "../../routes/members/update.js";
import { PutSlaPolicyBody } from "../../routes/sla/schema.js";
import { PutBody, saveSso } from "../../routes/sso/routes.js";
import { CreateTokenBody } from "../../routes/tokens/schema.js";
import { listAudit } from "../../services/audit/list.js";
import { inviteAndDeliver } from "../../services/invitations/deliver.js";
import { listInvitations, revokeInvitation } from "../../services/invitations/list.js";
import { changeMemberRole, removeMember } from "../../services/members/change.js";
import { listMembers } from "../../services/members/list.js";
import { getSlaPolicy, putSlaPolicy } from "../../services/sla/policy.js";
import { getSso } from "../../services/sso/settings.js";
import { createToken } from "../../services/tokens/create.js";
import { listTokens } from "../../services/tokens/list.js";
import { revokeToken } from "../../services/tokens/revoke.js";
import { InvitationLinkPage } from "../components/people.js";
import { consoleScope, viewerOf } from "../guard.js";
import { formFields, parseWith } from "../lib/form.js";
import { SettingsPage, TokenCreatedPage } from "../pages/settings.js";
import { page, redirectWith } from "../render.js";

const SHOWN = 200;
const AUDIT_SHOWN = 50;
const Id = z.string().min(1).max(100);
const Role = z.object({ role: z.enum(ROLES) });

/** Settings (admin): members, invitations, API tokens, SSO, the SLA policy and the audit log. */
export function registerConsoleSettings(app: Api): void {
  app.get("/app/settings", consoleScope("admin"), async (c) => {
    const viewer = viewerOf(c);
    const ctx = { pool: c.get("deps").pool, tenantId: viewer.auth.tenantId };
    const data = {
      members: await listMembers({ ctx, input: { limit: SHOWN, after: null } }),
      invitations: await listInvitations({ ctx, input: { pending: true } }),
      tokens: await listTokens({ ctx }),
      sso: await getSso({ ctx }),
      sla: await getSlaPolicy({ ctx }),
      audit: await listAudit({ ctx, input: { limit: AUDIT_SHOWN } }),
    };
    return page(c, <SettingsPage viewer={viewer} data={data} notice={c.req.query("notice")} />);
  });

  app.post("/app/settings/members/:userId", consoleScope("admin"), async (c) => {
    const viewer = viewerOf(c);
    const { role } = parseWith(Role, await formFields(c));
    await changeMemberRole({
      ctx: { pool: c.get("deps").pool, tenantId: viewer.auth.tenantId },
      input: {
        userId: parseWith(Id, c.req.param("userId"), "path"),
        role,
        actorRole: ownerOrNot(viewer.auth),
      },
    });
    return redirectWith(c, "/app/settings", `Role changed to ${role}`);
  });

  app.post("/app/settings/members/:userId/remove", consoleScope("admin"), async (c) => {
    const viewer = viewerOf(c);
    await removeMember({
      ctx: { pool: c.get("deps").pool, tenantId: viewer.auth.tenantId },
      input: { userId: parseWith(Id, c.req.param("userId"), "path"), actorRole: ownerOrNot(viewer.auth) },
    });
    return redirectWith(c, "/app/settings", "Member removed");
  });

  app.post("/app/settings/invitations", consoleScope("admin"), async (c) => {
    const viewer = viewerOf(c);
    const input = parseWith(CreateInvitationBody, await formFields(c));
    if (input.role === "owner" && viewer.auth.role !== "owner") {
      throw new ApiError("forbidden", "only an owner may invite an owner");
    }
    const { pool, config, logger, mailer } = c.get("deps");
    const out = await inviteAndDeliver({
      ctx: {
        pool,
        tenantId: viewer.auth.tenantId,
        ttlHours: config.INVITATION_TTL_HOURS,
        mailer: mailer ?? null,
        logger,
      },
      input: {
        email: input.email,
        role: input.role,
        invitedBy: viewer.auth.actorId,
        origin: publicOrigin(c),
      },
    });
    if (out.delivery === "email" || out.acceptUrl === undefined)
      return redirectWith(c, "/app/settings", `Invitation e-mailed to ${input.email}`);
    return page(c, <InvitationLinkPage viewer={viewer} email={input.email} link={out.acceptUrl} />, 201);
  });

  app.post("/app/settings/invitations/:id/revoke", consoleScope("admin"), async (c) => {
    const viewer = viewerOf(c);
    await revokeInvitation({
      ctx: { pool: c.get("deps").pool, tenantId: viewer.auth.tenantId },
      input: { id: parseWith(Id, c.req.param("id"), "path") },
    });
    return redirectWith(c, "/app/settings", "Invitation revoked: its link no longer works");
  });

  app.post("/app/settings/tokens", consoleScope("admin"), async (c) => {
    const viewer = viewerOf(c);
    const form = await formFields(c);
    const input = parseWith(CreateTokenBody, {
      name: form.name ?? "",
      scopes: TOKEN_SCOPES.filter((s) => form[`scope-${s}`] === "on"),
    });
    const t = await createToken({
      ctx: { pool: c.get("deps").pool, tenantId: viewer.auth.tenantId },
      input: { name: input.name, scopes: input.scopes, expiresAt: null, userId: viewer.auth.userId },
    });
    return page(c, <TokenCreatedPage viewer={viewer} name={input.name} token={t.token} />, 201);
  });

  app.post("/app/settings/tokens/:id/revoke", consoleScope("admin"), async (c) => {
    const viewer = viewerOf(c);
    await revokeToken({
      ctx: { pool: c.get("deps").pool, tenantId: viewer.auth.tenantId },
      input: { id: parseWith(Id, c.req.param("id"), "path") },
    });
    return redirectWith(c, "/app/settings", "Token revoked");
  });

  app.post("/app/settings/sso", consoleScope("admin"), async (c) => {
    const viewer = viewerOf(c);
    const form = await formFields(c);
    const input = parseWith(PutBody, {
      issuer: (form.issuer ?? "").trim(),
      clientId: (form.clientId ?? "").trim(),
      ...(form.clientSecret ? { clientSecret: form.clientSecret } : {}),
      allowedDomains: (form.allowedDomains ?? "").split(/[,\s]+/).filter(Boolean),
      jitRole: form.jitRole ? form.jitRole : null,
    });
    await saveSso(c, viewer.auth.tenantId, input);
    return redirectWith(c, "/app/settings", "Single sign-on saved");
  });

  app.post("/app/settings/sla", consoleScope("admin"), async (c) => {
    const viewer = viewerOf(c);
    const form = await formFields(c);
    const days = Object.fromEntries(["critical", "high", "medium", "low"].map((s) => [s, Number(form[s])]));
    const body = parseWith(PutSlaPolicyBody, { days });
    await putSlaPolicy({
      ctx: { pool: c.get("deps").pool, tenantId: viewer.auth.tenantId },
      input: { days: body.days, updatedBy: viewer.auth.actorId },
    });
    return redirectWith(c, "/app/settings", "SLA policy saved");
  });
}
