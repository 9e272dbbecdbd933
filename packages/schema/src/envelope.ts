import { createHash } from "node:crypto";
import { z } from "zod";
import { realDateTime } from "./datetime.js";
import { SOURCES } from "./sources.js";

/** Kubernetes namespace names are DNS-1123 labels. */
export const namespaceName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label (a Kubernetes namespace name)");

const namespaceList = z
  .array(namespaceName)
  .min(1, "an empty namespace list would scope the snapshot to nothing; omit scope for the whole cluster")
  .max(10_000)
  .refine((a) => new Set(a).size === a.length, "namespaces must not repeat");

/**
 * What a snapshot is the complete truth for (contract §1.4), absent = the whole cluster. Contract form:
 * `{ namespaces }`. Extensions, used when the collector splits a cluster too large for one upload:
 * `clusterScoped: true` adds the cluster-scoped objects (no namespace); `excludeNamespaces` is everything,
 * cluster-scoped objects included, except those namespaces (the remainder of a split, which also resolves
 * findings of namespaces that no longer exist).
 */
export const scopeSchema = z
  .object({
    namespaces: namespaceList.optional(),
    clusterScoped: z.literal(true).optional(),
    excludeNamespaces: namespaceList.optional(),
  })
  .strict()
  .refine((s) => s.namespaces !== undefined || s.excludeNamespaces !== undefined || s.clusterScoped, {
    message: "a scope names namespaces, excludeNamespaces or clusterScoped; omit it for the whole cluster",
  })
  .refine((s) => !(s.namespaces && s.excludeNamespaces), {
    message: "namespaces and excludeNamespaces do not combine",
  });
export type Scope = z.infer<typeof scopeSchema>;

/**
 * What the uploader could and could not read for this snapshot (an extension of contract §1.2, optional).
 * A kind `forbidden` or `failed` is unknown, not empty: the worker keeps the findings that depend on it as
 * they were instead of resolving them (the collector sends this for its Kubernetes uploads).
 */
export const MANIFEST_STATUSES = ["read", "partial", "absent", "forbidden", "failed"] as const;
export const manifestEntrySchema = z.looseObject({
  resource: z.string().min(1).max(200),
  kind: z.string().min(1).max(100),
  status: z.enum(MANIFEST_STATUSES),
  count: z.number().int().min(0).optional(),
  namespaces: z.array(z.string().max(63)).max(10_000).optional(),
  reason: z.string().max(2_000).optional(),
});
export type ManifestEntry = z.infer<typeof manifestEntrySchema>;

/** How far ahead of the server clock a collectedAt may be (a future snapshot would block every later one). */
export const MAX_COLLECTED_AT_SKEW_MS = 5 * 60 * 1000;

export const reportEnvelopeSchema = z
  .object({
    schemaVersion: z.literal(1),
    source: z.enum(SOURCES),
    collectedAt: realDateTime(),
    runId: z.string().min(1).max(200).optional(),
    tool: z
      .object({ name: z.string().min(1).max(100), version: z.string().max(100).optional() })
      .strict()
      .optional(),
    scope: scopeSchema.optional(),
    manifest: z.array(manifestEntrySchema).max(1_000).optional(),
    report: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())], {
      error: "report must be the tool's JSON output (an object or an array)",
    }),
  })
  .strict();
export type ReportEnvelope = z.infer<typeof reportEnvelopeSchema>;

/** Kinds the manifest says were not readable: their absence from the report proves nothing. */
export function unreadableKinds(manifest: readonly ManifestEntry[] | null | undefined): Set<string> {
  return new Set(
    (manifest ?? []).filter((m) => m.status === "forbidden" || m.status === "failed").map((m) => m.kind),
  );
}

/**
 * A canonical key for a scope: snapshots are ordered and resolve findings per (cluster, source, scope key).
 * Absent scope is the whole cluster ("*").
 */
export function scopeKey(scope: Scope | null | undefined): string {
  if (!scope) return "*";
  const parts: string[] = [];
  if (scope.namespaces) parts.push(`ns:${[...scope.namespaces].sort().join(",")}`);
  if (scope.excludeNamespaces) parts.push(`not:${[...scope.excludeNamespaces].sort().join(",")}`);
  if (scope.clusterScoped) parts.push("cluster");
  const key = parts.join(";");
  // an index entry holds at most ~2.7 KB: a very long namespace list is keyed by its digest
  return key.length > 2_000 ? `sha256:${createHash("sha256").update(key).digest("hex")}` : key;
}
