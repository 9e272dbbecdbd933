import { foreignKey, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, tenantId, ts } from "./columns.js";
import { tenants } from "./tenants.js";

/** An invitation to join a tenant with a role: a single-use link that expires (only its SHA-256 is kept). */
export const invitations = pgTable(
  "invitations",
  {
    id: id(),
    tenantId: tenantId(),
    email: text("email").notNull(),
    role: text("role").notNull(),
    tokenHash: text("token_hash").notNull(),
    /** the actor who invited: usr_…, tok_… or "operator" */
    invitedBy: text("invited_by").notNull(),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    acceptedAt: ts("accepted_at"),
    acceptedBy: text("accepted_by"),
    revokedAt: ts("revoked_at"),
  },
  (t) => [
    foreignKey({
      name: "invitations_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    uniqueIndex("invitations_token_hash_uq").on(t.tokenHash),
    index("invitations_tenant_idx").on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    index("invitations_tenant_email_idx").on(t.tenantId, t.email),
  ],
);
