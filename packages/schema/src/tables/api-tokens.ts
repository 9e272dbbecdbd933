import { foreignKey, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, tenantId, ts } from "./columns.js";
import { tenants } from "./tenants.js";
import { users } from "./users.js";

/** API tokens are stored only as a SHA-256 hash; `prefix` is the recognisable, non-secret start shown in lists. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: id(),
    tenantId: tenantId(),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    tokenHash: text("token_hash").notNull(),
    scopes: text("scopes").array().notNull(),
    createdAt: createdAt(),
    lastUsedAt: ts("last_used_at"),
    revokedAt: ts("revoked_at"),
    /** optional: the token answers 401 from then on */
    expiresAt: ts("expires_at"),
    /** the user the token belongs to (its scopes never exceed that user's role); null: a service token */
    userId: text("user_id"),
  },
  (t) => [
    foreignKey({
      name: "api_tokens_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    foreignKey({ name: "api_tokens_user_fk", columns: [t.userId], foreignColumns: [users.id] }).onDelete(
      "cascade",
    ),
    uniqueIndex("api_tokens_hash_uq").on(t.tokenHash),
    index("api_tokens_tenant_idx").on(t.tenantId, t.createdAt),
  ],
);
