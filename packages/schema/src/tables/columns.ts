import { text, timestamp } from "drizzle-orm/pg-core";

/** Shared column helpers: every tenant table leads with tenant_id so indexes and RLS line up. */
export const id = () => text("id").primaryKey();
/**
 * The id of a tenant-distributed table (docs: README "Past one machine"): its primary key is (tenant_id, id),
 * declared on the table, so that a Citus cluster distributed by tenant_id can enforce it on each shard.
 */
export const tenantRowId = () => text("id").notNull();
export const tenantId = () => text("tenant_id").notNull();
export const createdAt = () =>
  timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
