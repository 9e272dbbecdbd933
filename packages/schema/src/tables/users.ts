import { sql } from "drizzle-orm";
import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id, ts } from "./columns.js";

/**
 * A person. Global, not a tenant's: one user may belong to several tenants (memberships). The email is stored
 * lower-cased; the password hash (argon2id, PHC string) is null for users who only sign in through SSO.
 * RLS: a user row is visible to the user themself (bulwark.user_id) and, read-only, within a tenant they belong to.
 */
export const users = pgTable(
  "users",
  {
    id: id(),
    email: text("email").notNull(),
    displayName: text("display_name").notNull(),
    passwordHash: text("password_hash"),
    passwordChangedAt: ts("password_changed_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_uq").on(sql`lower(${t.email})`)],
);
