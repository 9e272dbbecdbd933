import { foreignKey, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt, tenantId, ts } from "./columns.js";
import { tenants } from "./tenants.js";
import { users } from "./users.js";

/**
 * A tenant's OIDC provider (one per tenant). The client secret is AES-256-GCM encrypted under SECRETS_KEY,
 * bound to the tenant (`oidc:<tenant id>` as associated data). `jit_role` null: no just-in-time membership.
 */
export const ssoProviders = pgTable(
  "sso_providers",
  {
    tenantId: tenantId().primaryKey(),
    issuer: text("issuer").notNull(),
    clientId: text("client_id").notNull(),
    clientSecretCiphertext: text("client_secret_ciphertext").notNull(),
    allowedDomains: text("allowed_domains").array().notNull().default([]),
    jitRole: text("jit_role"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: "sso_providers_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
  ],
);

/** Which user an OIDC subject of a tenant's provider is: linked on first sign-in. */
export const userIdentities = pgTable(
  "user_identities",
  {
    tenantId: tenantId(),
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    userId: text("user_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "user_identities_pk", columns: [t.tenantId, t.issuer, t.subject] }),
    foreignKey({
      name: "user_identities_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    foreignKey({ name: "user_identities_user_fk", columns: [t.userId], foreignColumns: [users.id] }).onDelete(
      "cascade",
    ),
  ],
);
