import { z } from "@hono/zod-openapi";

export const CreateTenantBody = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: "Acme Corp" }),
    ownerEmail: z.string().trim().toLowerCase().email().max(320).optional().openapi({
      description:
        "Extension: invite this person as the tenant's first owner (e-mailed, or `ownerInvitation.acceptUrl`)",
      example: "ciso@acme.example",
    }),
  })
  .strict()
  .openapi("CreateTenant");

export const CreatedTenantSchema = z
  .object({
    tenant: z.object({ id: z.string().openapi({ example: "ten_0123456789abcdefghjk" }), name: z.string() }),
    token: z.string().openapi({ description: "An admin+write+read API token, shown once" }),
    ownerInvitation: z
      .object({
        id: z.string(),
        email: z.string(),
        delivery: z.enum(["email", "link"]),
        acceptUrl: z.string().optional(),
      })
      .optional()
      .openapi({ description: "With `ownerEmail`: the owner's invitation" }),
  })
  .openapi("CreatedTenant");

export const TenantSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    suspended: z.boolean(),
    suspendedAt: z.string().nullable(),
    suspendedReason: z.string().nullable(),
    usage: z.object({
      members: z.number().int(),
      clusters: z.number().int(),
      openFindings: z.number().int(),
      reportsLast30Days: z.number().int(),
    }),
  })
  .openapi("TenantSummary");

export const TenantPage = z
  .object({ items: z.array(TenantSummary), nextCursor: z.string().nullable() })
  .openapi("TenantPage");

export const TenantListQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .openapi({ param: { name: "limit", in: "query" } }),
  cursor: z
    .string()
    .max(300)
    .optional()
    .openapi({ param: { name: "cursor", in: "query" } }),
});

export const TenantParams = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" }, example: "ten_0123456789abcdefghjk" }),
});

export const SuspendBody = z
  .object({
    reason: z.string().trim().min(1).max(500).openapi({
      description: "Shown to the tenant's collectors in each refused upload",
      example: "invoice overdue; contact billing@example.com",
    }),
  })
  .strict()
  .openapi("SuspendTenant");

export const DeletedTenantSchema = z
  .object({
    id: z.string(),
    rows: z.record(z.string(), z.number().int()).openapi({ description: "Rows deleted per table" }),
    usersDeleted: z.number().int().openapi({ description: "Former members left in no tenant, deleted too" }),
  })
  .openapi("DeletedTenant");
