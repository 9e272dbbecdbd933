import { foreignKey, index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt, tenantId } from "./columns.js";
import { tenants } from "./tenants.js";
import { users } from "./users.js";

/** A user's role in a tenant: viewer | editor | admin | owner (see ROLES in packages/schema). */
export const memberships = pgTable(
  "memberships",
  {
    tenantId: tenantId(),
    userId: text("user_id").notNull(),
    role: text("role").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "memberships_pk", columns: [t.tenantId, t.userId] }),
    foreignKey({
      name: "memberships_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    foreignKey({ name: "memberships_user_fk", columns: [t.userId], foreignColumns: [users.id] }).onDelete(
      "cascade",
    ),
    // GET /v1/me and sign-in list a user's tenants
    index("memberships_user_idx").on(t.userId),
  ],
);
