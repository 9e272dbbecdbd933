import { foreignKey, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, tenantId, ts } from "./columns.js";
import { tenants } from "./tenants.js";
import { users } from "./users.js";

/** One-time sign-in links (e.g. the demo's): single use, short-lived, only the SHA-256 is kept. */
export const signInLinks = pgTable(
  "sign_in_links",
  {
    id: id(),
    tenantId: tenantId(),
    userId: text("user_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
  },
  (t) => [
    foreignKey({
      name: "sign_in_links_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    foreignKey({ name: "sign_in_links_user_fk", columns: [t.userId], foreignColumns: [users.id] }).onDelete(
      "cascade",
    ),
    uniqueIndex("sign_in_links_token_hash_uq").on(t.tokenHash),
  ],
);
