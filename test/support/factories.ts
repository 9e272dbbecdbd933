import { type FindingDraft, newId, taxonomyFor } from "@bulwark/schema";
import type pg from "pg";

/** Seed a tenant and a cluster directly (as the owner), for tests below the HTTP layer. */
export async function seedTenant(ownerPool: pg.Pool, name = "acme"): Promise<{ tenantId: string; clusterId: string }> {
  const tenantId = newId("tenant");
  const clusterId = newId("cluster");
  await ownerPool.query("INSERT INTO tenants (id, name) VALUES ($1, $2)", [tenantId, name]);
  await ownerPool.query("INSERT INTO clusters (id, tenant_id, name) VALUES ($1, $2, $3)", [
    clusterId,
    tenantId,
    `${name}-prod`,
  ]);
  return { tenantId, clusterId };
}

export async function seedCluster(ownerPool: pg.Pool, tenantId: string, name: string): Promise<string> {
  const clusterId = newId("cluster");
  await ownerPool.query("INSERT INTO clusters (id, tenant_id, name) VALUES ($1, $2, $3)", [clusterId, tenantId, name]);
  return clusterId;
}

/** A vulnerability-like draft on a Deployment; `over` changes any part. */
export function draft(over: Partial<FindingDraft> & { ruleId: string }): FindingDraft {
  return {
    title: `Finding ${over.ruleId}`,
    severity: "high",
    resource: { kind: "Deployment", namespace: "web", name: "frontend", container: "app", image: "nginx:1.25" },
    taxonomy: taxonomyFor("INT-VULN"),
    remediation: null,
    references: [],
    details: {},
    identity: ["openssl"],
    ...over,
  };
}
