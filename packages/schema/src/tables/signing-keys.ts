import { foreignKey, index, pgTable, text } from "drizzle-orm/pg-core";
import { clusters } from "./clusters.js";
import { createdAt, id, tenantId, ts } from "./columns.js";

/** HMAC signing keys of a cluster's collector. The secret is AES-256-GCM encrypted under SECRETS_KEY. */
export const signingKeys = pgTable(
  "signing_keys",
  {
    id: id(),
    tenantId: tenantId(),
    clusterId: text("cluster_id").notNull(),
    secretCiphertext: text("secret_ciphertext").notNull(),
    createdAt: createdAt(),
    revokedAt: ts("revoked_at"),
  },
  (t) => [
    foreignKey({
      name: "signing_keys_cluster_fk",
      columns: [t.clusterId],
      foreignColumns: [clusters.id],
    }).onDelete("cascade"),
    index("signing_keys_tenant_cluster_idx").on(t.tenantId, t.clusterId),
  ],
);
