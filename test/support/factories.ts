import { type FindingDraft, newId, taxonomyFor } from "@bulwark/schema";
import type pg from "pg";

/** Seed a tenant and a cluster directly (as the owner), for tests below the HTTP layer. */
export async function seedTenant(
  ownerPool: pg.Pool,
  name = "acme",
): Promise<{ tenantId: string; clusterId: string }> {
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
  await ownerPool.query("INSERT INTO clusters (id, tenant_id, name) VALUES ($1, $2, $3)", [
    clusterId,
    tenantId,
    name,
  ]);
  return clusterId;
}

/** A vulnerability-like draft on a Deployment; `over` changes any part. */
export function draft(over: Partial<FindingDraft> & { ruleId: string }): FindingDraft {
  return {
    title: `Finding ${over.ruleId}`,
    severity: "high",
    resource: {
      kind: "Deployment",
      namespace: "web",
      name: "frontend",
      container: "app",
      image: "nginx:1.25",
    },
    taxonomy: taxonomyFor("INT-VULN"),
    remediation: null,
    references: [],
    details: {},
    identity: ["openssl"],
    ...over,
  };
}

/** Store a report row as the API would (gzip payload of the envelope), without going through HTTP. */
export async function seedReport(
  ownerPool: pg.Pool,
  t: { tenantId: string; clusterId: string },
  envelope: {
    source: string;
    collectedAt: string;
    report: unknown;
    scope?: { namespaces: string[] };
    manifest?: unknown[];
  },
  opts: { receivedSecondsAgo?: number } = {},
): Promise<string> {
  const { gzipSync } = await import("node:zlib");
  const { createHash } = await import("node:crypto");
  const body = Buffer.from(JSON.stringify({ schemaVersion: 1, ...envelope }));
  const id = newId("report");
  const scopeKey = envelope.scope ? `ns:${[...envelope.scope.namespaces].sort().join(",")}` : "*";
  await ownerPool.query(
    `INSERT INTO reports (id, tenant_id, cluster_id, source, collected_at, received_at, scope, scope_key, body_sha256,
       payload, payload_bytes)
     VALUES ($1, $2, $3, $4, $5, now() - make_interval(secs => $6), $7, $8, $9, $10, $11)`,
    [
      id,
      t.tenantId,
      t.clusterId,
      envelope.source,
      envelope.collectedAt,
      opts.receivedSecondsAgo ?? 0,
      envelope.scope ? JSON.stringify(envelope.scope) : null,
      scopeKey,
      createHash("sha256").update(body).digest("hex"),
      gzipSync(body),
      body.length,
    ],
  );
  return id;
}
