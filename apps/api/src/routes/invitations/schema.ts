import { ROLES } from "@bulwark/schema";
import { z } from "@hono/zod-openapi";
import { IdParam } from "../../openapi/common.js";

export const CreateInvitationBody = z
  .object({
    email: z.string().trim().toLowerCase().email().max(320).openapi({ example: "grace@example.com" }),
    role: z.enum(ROLES).openapi({ description: "Only an owner may invite an owner" }),
  })
  .strict()
  .openapi("CreateInvitation");

export const InvitationSchema = z
  .object({
    id: z.string().openapi({ example: "inv_0123456789abcdefghjk" }),
    email: z.string(),
    role: z.enum(ROLES),
    status: z.enum(["pending", "accepted", "revoked", "expired"]),
    invitedBy: z.string().openapi({ description: "usr_…, tok_… or operator" }),
    createdAt: z.string(),
    expiresAt: z.string(),
    acceptedAt: z.string().nullable(),
  })
  .openapi("Invitation");

export const CreatedInvitation = z
  .object({
    invitation: InvitationSchema,
    delivery: z.enum(["email", "link"]).openapi({
      description:
        "`email`: sent to the invitee (the link is not returned). `link`: no mail is configured (SMTP_URL unset), pass `acceptUrl` on yourself",
    }),
    acceptUrl: z.string().optional().openapi({ description: "Only with delivery `link`" }),
  })
  .openapi("CreatedInvitation");

export const InvitationList = z.object({ items: z.array(InvitationSchema) }).openapi("InvitationList");

export const InvitationParams = z.object({ id: IdParam("id", "inv_0123456789abcdefghjk") });

export const InvitationListQuery = z.object({
  status: z
    .enum(["pending", "all"])
    .default("pending")
    .openapi({ param: { name: "status", in: "query" } }),
});
