import { TOKEN_SCOPES } from "@bulwark/schema";
import { z } from "@hono/zod-openapi";
import { IdParam } from "../../openapi/common.js";

export const CreateTokenBody = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: "ci-readonly" }),
    scopes: z
      .array(z.enum(TOKEN_SCOPES))
      .min(1, "at least one scope")
      .refine((s) => new Set(s).size === s.length, "scopes must not repeat")
      .openapi({ example: ["read"] }),
    expiresAt: z.iso
      .datetime({ offset: true })
      .optional()
      .refine((v) => v === undefined || Date.parse(v) > Date.now(), "must be in the future")
      .openapi({
        description: "Optional: the token answers 401 from then on",
        example: "2027-01-01T00:00:00Z",
      }),
    service: z.boolean().optional().openapi({
      description:
        "true: a service token, owned by the tenant rather than a person. Default: a token created by a person (a session or a token of theirs) belongs to them; one created by a service token is a service token",
    }),
  })
  .strict()
  .openapi("CreateToken");

const TokenFields = {
  id: z.string().openapi({ example: "tok_0123456789abcdefghjk" }),
  name: z.string(),
  scopes: z.array(z.enum(TOKEN_SCOPES)),
  prefix: z
    .string()
    .openapi({ description: "The token's first characters, to recognise it", example: "bwk_AbCdEf" }),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  userId: z
    .string()
    .nullable()
    .openapi({ description: "The user the token belongs to; null: a service token" }),
};

export const CreatedToken = z
  .object({ ...TokenFields, token: z.string().openapi({ description: "The token, shown once" }) })
  .openapi("CreatedToken");

export const TokenSchema = z
  .object({ ...TokenFields, lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() })
  .openapi("Token");

export const TokenList = z.object({ items: z.array(TokenSchema) }).openapi("TokenList");

export const TokenParams = z.object({ id: IdParam("id", "tok_0123456789abcdefghjk") });
