import { foreignKey, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, tenantId } from "./columns.js";
import { tenants } from "./tenants.js";

export const clusters = pgTable(
  "clusters",
  {
    id: id(),
    tenantId: tenantId(),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ name: "clusters_tenant_fk", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      "cascade",
    ),
    // names are unique per tenant: the API accepts `cluster=<name>` as well as the id
    uniqueIndex("clusters_tenant_name_uq").on(t.tenantId, t.name),
  ],
);
