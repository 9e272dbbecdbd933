import { pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { tenantId, ts } from "./columns.js";

/** Nonces seen per signing key within the replay window; swept once expired. */
export const nonces = pgTable(
  "nonces",
  {
    tenantId: tenantId(),
    keyId: text("key_id").notNull(),
    nonce: text("nonce").notNull(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [primaryKey({ name: "nonces_pk", columns: [t.keyId, t.nonce] })],
);
