import { ROLES } from "@bulwark/schema";
import { z } from "@hono/zod-openapi";

const returnTo = z.string().max(2000).optional().openapi({
  description:
    "Form posts: where to go once signed in, a path on this site (`/app/…`); anything else falls back to the default",
  example: "/app/findings",
});

export const LoginBody = z
  .object({
    email: z.string().trim().toLowerCase().email().max(320).openapi({ example: "ada@example.com" }),
    password: z.string().min(1).max(1024),
    tenant: z
      .string()
      .max(100)
      .optional()
      .openapi({ description: "The tenant to act in (id); default: the first of yours by name" }),
    returnTo,
  })
  .openapi("Login");

export const SignedInSchema = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), displayName: z.string() }),
    tenant: z.object({ id: z.string(), name: z.string() }),
    role: z.enum(ROLES),
    csrfToken: z.string().openapi({
      description: "Send as X-CSRF-Token (or the _csrf form field) with every cookie-authenticated write",
    }),
    expiresAt: z
      .string()
      .openapi({ description: "Absolute end of the session (idle timeout applies before)" }),
  })
  .openapi("SignedIn");

export const CsrfBody = z
  .object({ _csrf: z.string().optional().openapi({ description: "The CSRF token (form posts)" }) })
  .openapi("CsrfForm");

export const SwitchTenantBody = z
  .object({ tenant: z.string().min(1).max(100), _csrf: z.string().optional() })
  .openapi("SwitchTenant");

export const TokenQuery = z.object({
  token: z
    .string()
    .min(1)
    .max(300)
    .openapi({ param: { name: "token", in: "query" }, description: "The link's token" }),
});

export const TokenForm = z.object({ token: z.string().min(1).max(300), returnTo }).openapi("OneTimeLinkForm");

export const AcceptInvitationBody = z
  .object({
    token: z.string().min(1).max(300),
    displayName: z.string().trim().min(1).max(200).optional(),
    password: z.string().max(1024).optional().openapi({
      description:
        "Required for a new account; for an existing one, a new password (it replaces the old and signs out its other sessions) unless you are signed in as that user",
    }),
    returnTo,
  })
  .openapi("AcceptInvitation");

export const OidcStartParams = z.object({
  tenantId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "tenantId", in: "path" }, example: "ten_0123456789abcdefghjk" }),
});

export const OidcStartQuery = z.object({ returnTo });

export const OidcCallbackQuery = z.object({
  state: z.string().max(500).optional(),
  code: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
  iss: z.string().max(500).optional(),
});

export const LoggedOut = z.object({ signedOut: z.number().int() }).openapi("SignedOut");
