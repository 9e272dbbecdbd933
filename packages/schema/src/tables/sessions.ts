import { boolean, foreignKey, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, tenantId, ts } from "./columns.js";
import { tenants } from "./tenants.js";
import { users } from "./users.js";

/**
 * Server-side sessions behind the session cookie (stored only as the SHA-256 of the cookie value), so they can
 * be revoked. `tenant_id` is the tenant the session acts in; a `bound` session (SSO, one-time link) may never
 * switch to another tenant. Idle timeout: last_seen_at; absolute timeout: expires_at.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: id(),
    tokenHash: text("token_hash").notNull(),
    userId: text("user_id").notNull(),
    tenantId: tenantId(),
    bound: boolean("bound").notNull(),
    /** how the user signed in: password | oidc | link | invitation */
    method: text("method").notNull(),
    createdAt: createdAt(),
    lastSeenAt: ts("last_seen_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [
    foreignKey({ name: "sessions_user_fk", columns: [t.userId], foreignColumns: [users.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ name: "sessions_tenant_fk", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      "cascade",
    ),
    uniqueIndex("sessions_token_hash_uq").on(t.tokenHash),
    index("sessions_user_idx").on(t.userId),
    index("sessions_tenant_user_idx").on(t.tenantId, t.userId),
  ],
);
