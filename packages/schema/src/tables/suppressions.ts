import { foreignKey, index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt, tenantId, tenantRowId, ts } from "./columns.js";
import { tenants } from "./tenants.js";

export const suppressions = pgTable(
  "suppressions",
  {
    id: tenantRowId(),
    tenantId: tenantId(),
    ruleId: text("rule_id"),
    clusterId: text("cluster_id"),
    namespace: text("namespace"),
    kind: text("kind"),
    name: text("name"),
    fingerprint: text("fingerprint"),
    reason: text("reason").notNull(),
    expiresAt: ts("expires_at").notNull(),
    createdAt: createdAt(),
    createdBy: text("created_by"),
  },
  (t) => [
    primaryKey({ name: "suppressions_pk", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "suppressions_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    index("suppressions_tenant_expires_idx").on(t.tenantId, t.expiresAt),
  ],
);
