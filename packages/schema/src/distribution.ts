/**
 * How the schema maps onto a Citus cluster (README "Past one machine"). Distributed tables are sharded by
 * `tenant_id` and colocated, so every query of one tenant runs on one worker node, and every primary key and
 * unique index leads with `tenant_id` (Citus enforces a key only if it contains the distribution column).
 * Reference tables are copied to every node: the global lookups (accounts, a token's or a signing key's hash
 * before the tenant is known, replay nonces) and the small control-plane tables they join. A test checks this
 * map against the catalog, so a new table or index cannot silently break it.
 */
export const DISTRIBUTION_COLUMN = "tenant_id";

export const DISTRIBUTED_TABLES = [
  "findings",
  "finding_events",
  "reports",
  "suppressions",
  "snapshot_heads",
  "posture_counts",
  "posture_daily",
  "posture_resolved",
  "rule_titles",
  "compliance_reports",
  "mesh_coverage",
  "notification_rules",
  "notification_deliveries",
  "audit_log",
  "memberships",
  "user_identities",
  "sla_policies",
  "sso_providers",
] as const;

/** Small, read on every request before the tenant is known, or shared by tenants: one copy on every node. */
export const REFERENCE_TABLES = [
  "tenants",
  "users",
  "clusters",
  "signing_keys",
  "nonces",
  "api_tokens",
  "sessions",
  "invitations",
  "sign_in_links",
] as const;
