import { bigint, foreignKey, index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { tenantId, ts } from "./columns.js";
import { tenants } from "./tenants.js";

/**
 * Append-only audit trail of a tenant: every write on the tenant API and every sign-in. The application role
 * may INSERT and SELECT only (migration); rows go when the retention sweep or the tenant's deletion removes them.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    tenantId: tenantId(),
    at: ts("at").notNull().defaultNow(),
    /** user | token | operator | anonymous */
    actorType: text("actor_type").notNull(),
    /** usr_…, tok_…, or null (operator, unknown) */
    actorId: text("actor_id"),
    /** the user's email or the token's name, as it was at the time */
    actorLabel: text("actor_label"),
    /** e.g. `POST /v1/suppressions`, `auth.sign_in` */
    action: text("action").notNull(),
    target: text("target"),
    /** success | failure | denied */
    outcome: text("outcome").notNull(),
    status: integer("status"),
    requestId: text("request_id"),
    ip: text("ip"),
    details: jsonb("details").$type<Record<string, unknown>>(),
  },
  (t) => [
    primaryKey({ name: "audit_log_pk", columns: [t.tenantId, t.id] }),
    foreignKey({ name: "audit_log_tenant_fk", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      "cascade",
    ),
    index("audit_log_tenant_idx").on(t.tenantId, t.id.desc()),
    index("audit_log_actor_idx").on(t.tenantId, t.actorId, t.id.desc()),
    index("audit_log_action_idx").on(t.tenantId, t.action, t.id.desc()),
    index("audit_log_target_idx").on(t.tenantId, t.target, t.id.desc()),
    // the retention sweep deletes by age across tenants
    index("audit_log_at_idx").on(t.at),
  ],
);
