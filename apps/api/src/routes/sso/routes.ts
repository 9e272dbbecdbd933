import { ROLES } from "@bulwark/schema";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { publicOrigin } from "../../auth/cookies.js";
import { providerConfig } from "../../auth/oidc.js";
import type { AppEnv } from "../../env.js";
import { ApiError } from "../../errors.js";
import { authOf, requireScope } from "../../middleware/auth.js";
import { requireJsonBody } from "../../middleware/json-body.js";
import {
  bearerSecurity,
  JSON_BODY_ERRORS,
  json,
  jsonBody,
  problems,
  TOKEN_ERRORS,
} from "../../openapi/common.js";
import { decryptClientSecret, deleteSso, getSso, putSso } from "../../services/sso/settings.js";
import { validationError } from "../../validation.js";

export const PutBody = z
  .object({
    issuer: z.url().max(500).openapi({ example: "https://login.example.com/realms/acme" }),
    clientId: z.string().min(1).max(300),
    clientSecret: z
      .string()
      .min(1)
      .max(2000)
      .optional()
      .openapi({ description: "Write-only (stored encrypted); omit to keep the stored one" }),
    allowedDomains: z
      .array(
        z
          .string()
          .trim()
          .toLowerCase()
          .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, "a domain such as example.com"),
      )
      .max(50)
      .default([])
      .openapi({ description: "E-mail domains allowed to sign in; empty: any" }),
    jitRole: z.enum(ROLES).exclude(["owner"]).nullable().default(null).openapi({
      description:
        "Just-in-time membership: people the provider vouches for join with this role; null: invited people only",
    }),
  })
  .strict()
  .openapi("SsoSettingsInput");

const Settings = z
  .object({
    issuer: z.string(),
    clientId: z.string(),
    clientSecret: z.literal("********").openapi({ description: "Never returned" }),
    allowedDomains: z.array(z.string()),
    jitRole: z.enum(ROLES).nullable(),
    updatedAt: z.string(),
    redirectUri: z.string().openapi({ description: "Register this at the provider" }),
    signInUrl: z.string().openapi({ description: "Where members start signing in" }),
  })
  .openapi("SsoSettings");

const common = { tags: ["sso"], security: bearerSecurity };

export const getRoute = createRoute({
  operationId: "getSso",
  ...common,
  method: "get",
  path: "/v1/sso",
  summary: "The tenant's OIDC single sign-on settings (admin scope); the client secret is never shown",
  middleware: [requireScope("admin")] as const,
  responses: { 200: json(Settings, "Settings"), ...problems(...TOKEN_ERRORS, "not_found") },
});

async function view(c: Parameters<RouteHandler<typeof getRoute, AppEnv>>[0], tenantId: string) {
  const sso = await getSso({ ctx: { pool: c.get("deps").pool, tenantId } });
  if (!sso) throw new ApiError("not_found", "no single sign-on configured");
  const origin = publicOrigin(c);
  return {
    issuer: sso.issuer,
    clientId: sso.clientId,
    clientSecret: "********" as const,
    allowedDomains: sso.allowedDomains,
    jitRole: sso.jitRole,
    updatedAt: sso.updatedAt.toISOString(),
    redirectUri: `${origin}/v1/auth/oidc/callback`,
    signInUrl: `${origin}/v1/auth/oidc/${tenantId}/start`,
  };
}

export const getHandler: RouteHandler<typeof getRoute, AppEnv> = async (c) =>
  c.json(await view(c as never, authOf(c).tenantId), 200);

export const putRoute = createRoute({
  operationId: "putSso",
  ...common,
  method: "put",
  path: "/v1/sso",
  summary: "Set the tenant's OIDC provider (admin scope); checked by discovery before it is saved",
  description:
    "The issuer must answer OpenID discovery (over https, on a public address) with these client credentials' metadata; otherwise 400 naming body.issuer.",
  middleware: [requireScope("admin"), requireJsonBody] as const,
  request: { body: jsonBody(PutBody) },
  responses: { 200: json(Settings, "Saved"), ...problems(...JSON_BODY_ERRORS, ...TOKEN_ERRORS) },
});

export const putHandler: RouteHandler<typeof putRoute, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  await saveSso(c, tenantId, c.req.valid("json"));
  return c.json(await view(c as never, tenantId), 200);
};

/**
 * Store a tenant's OIDC settings after checking the issuer's discovery document (PUT /v1/sso and the console's
 * settings form); an omitted client secret keeps the stored one.
 */
export async function saveSso(c: Context<AppEnv>, tenantId: string, input: z.infer<typeof PutBody>) {
  const { pool, config } = c.get("deps");
  const stored = input.clientSecret ? null : await getSso({ ctx: { pool, tenantId } });
  const secret =
    input.clientSecret ??
    (stored ? decryptClientSecret(config.SECRETS_KEY, tenantId, stored.secretCiphertext) : "");
  try {
    await providerConfig(
      { issuer: input.issuer, clientId: input.clientId, clientSecret: secret || "unset" },
      config.OIDC_ALLOW_INSECURE_ISSUERS,
    );
  } catch (e) {
    throw validationError([
      { location: "body.issuer", message: `discovery failed: ${(e as Error).message}` },
    ]);
  }
  await putSso({ ctx: { pool, tenantId, secretsKey: config.SECRETS_KEY }, input });
}

export const deleteRoute = createRoute({
  operationId: "deleteSso",
  ...common,
  method: "delete",
  path: "/v1/sso",
  summary: "Remove the tenant's single sign-on (admin scope); existing sessions stay until they end",
  middleware: [requireScope("admin")] as const,
  responses: { 204: { description: "Removed" }, ...problems(...TOKEN_ERRORS, "not_found") },
});

export const deleteHandler: RouteHandler<typeof deleteRoute, AppEnv> = async (c) => {
  const { tenantId } = authOf(c);
  if (!(await deleteSso({ ctx: { pool: c.get("deps").pool, tenantId } }))) {
    throw new ApiError("not_found", "no single sign-on configured");
  }
  return c.body(null, 204);
};
