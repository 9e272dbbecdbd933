import { pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, id, ts } from "./columns.js";

export const tenants = pgTable("tenants", {
  id: id(),
  name: text("name").notNull(),
  createdAt: createdAt(),
  /** set by the platform operator: uploads answer 403 with the reason until resumed; nothing is deleted */
  suspendedAt: ts("suspended_at"),
  suspendedReason: text("suspended_reason"),
});
