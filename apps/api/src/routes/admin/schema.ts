import { z } from "@hono/zod-openapi";

export const CreateTenantBody = z
  .object({ name: z.string().trim().min(1).max(200).openapi({ example: "Acme Corp" }) })
  .strict()
  .openapi("CreateTenant");

export const CreatedTenantSchema = z
  .object({
    tenant: z.object({ id: z.string().openapi({ example: "ten_0123456789abcdefghjk" }), name: z.string() }),
    token: z.string().openapi({ description: "An admin+write+read API token, shown once" }),
  })
  .openapi("CreatedTenant");
