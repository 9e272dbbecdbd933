import { ROLES } from "@bulwark/schema";
import { z } from "@hono/zod-openapi";
import { IdParam } from "../../openapi/common.js";

export const MemberSchema = z
  .object({
    userId: z.string().openapi({ example: "usr_0123456789abcdefghjk" }),
    email: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    joinedAt: z.string(),
  })
  .openapi("Member");

export const MemberList = z
  .object({ items: z.array(MemberSchema), nextCursor: z.string().nullable() })
  .openapi("MemberList");

export const MemberListQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(100)
    .openapi({ param: { name: "limit", in: "query" } }),
  cursor: z
    .string()
    .max(1000)
    .optional()
    .openapi({ param: { name: "cursor", in: "query" } }),
});

export const MemberParams = z.object({ userId: IdParam("userId", "usr_0123456789abcdefghjk") });

export const ChangeRoleBody = z
  .object({
    role: z.enum(ROLES).openapi({ description: "Only an owner may grant or take away the owner role" }),
  })
  .strict()
  .openapi("ChangeRole");
