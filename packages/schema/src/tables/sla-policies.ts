import { foreignKey, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { tenantId, ts } from "./columns.js";
import { tenants } from "./tenants.js";

export interface SlaDays {
  critical: number;
  high: number;
  medium: number;
  low: number;
}

/** A tenant's days-to-fix per severity; absent row = the documented defaults (DEFAULT_SLA_DAYS). */
export const slaPolicies = pgTable(
  "sla_policies",
  {
    tenantId: tenantId().primaryKey(),
    days: jsonb("days").$type<SlaDays>().notNull(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    updatedBy: text("updated_by"),
  },
  (t) => [
    foreignKey({
      name: "sla_policies_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
  ],
);
