import { sql } from "drizzle-orm";
import { foreignKey, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, tenantId, ts } from "./columns.js";
import { tenants } from "./tenants.js";

export const clusters = pgTable(
  "clusters",
  {
    id: id(),
    tenantId: tenantId(),
    name: text("name").notNull(),
    createdAt: createdAt(),
    /** DELETE /v1/clusters/{id} keeping its findings: the cluster is gone, its history stays */
    deletedAt: ts("deleted_at"),
  },
  (t) => [
    foreignKey({ name: "clusters_tenant_fk", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      "cascade",
    ),
    // names are unique per tenant among live clusters (the API accepts `cluster=<name>` as well as the id);
    // partial, so a deleted cluster's name can be registered again
    uniqueIndex("clusters_tenant_name_uq").on(t.tenantId, t.name).where(sql`deleted_at is null`),
  ],
);
