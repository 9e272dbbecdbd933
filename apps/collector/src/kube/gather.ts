/**
 * The two cluster uploads: every trivy-operator report kind (source `trivy-operator`) and the mesh inventory
 * (source `mesh-config`), each a Kubernetes List, each with the scope the collector could see in full.
 *
 * Scope: the server resolves a finding of (cluster, source) that is absent from a snapshot inside the
 * snapshot's scope, so a snapshot must never claim what it did not see. When every kind was read
 * cluster-wide (or is not served at all: nothing of it exists), there is no scope. Otherwise the scope is
 * the namespaces where every namespaced kind was read, which also leaves cluster-scoped findings untouched.
 */
import { CATALOG, type CatalogEntry, NAMESPACES, type UploadSource } from "./catalog.js";
import type { KubeReader } from "./client.js";
import { collectEntry, type EntryResult, type ManifestEntry } from "./collect.js";
import { resolveEntries } from "./discover.js";
import { type KubeObject, namespaceOf } from "./reduce.js";

export interface ClusterOptions {
  pageSize: number;
  istioNamespace: string;
  onlyNamespaces?: string[] | undefined;
}

export type Gathered =
  | {
      state: "ready";
      source: UploadSource;
      report: { apiVersion: "v1"; kind: "List"; items: KubeObject[] };
      scope?: { namespaces: string[] };
      manifest: ManifestEntry[];
    }
  | { state: "skipped" | "failed"; source: UploadSource; reason: string; manifest: ManifestEntry[] };

const COVERS_ALL = new Set(["read", "absent"]);

export function scopeFor(
  manifest: ManifestEntry[],
  namespaces: string[],
  opts: ClusterOptions,
): { scope?: { namespaces: string[] }; error?: string } {
  const complete = manifest.every(
    (m) => COVERS_ALL.has(m.status) && !(m.namespaces && !m.istioNamespaceOnly),
  );
  if (complete && !opts.onlyNamespaces) return {};
  let candidates = new Set(opts.onlyNamespaces ?? namespaces);
  for (const m of manifest) {
    if (m.namespaced === false) continue; // protected by having any scope at all
    if (m.istioNamespaceOnly) {
      if (!COVERS_ALL.has(m.status)) candidates.delete(opts.istioNamespace);
    } else if (m.namespaces) {
      const read = new Set(m.namespaces);
      candidates = new Set([...candidates].filter((n) => read.has(n)));
    } else if (!COVERS_ALL.has(m.status)) {
      // not read in any namespace (or not even discovered): no namespace is fully known
      candidates.clear();
    }
  }
  if (candidates.size === 0) {
    const unread = manifest
      .filter((m) => !COVERS_ALL.has(m.status))
      .map((m) => `${m.resource} (${m.reason ?? m.status})`);
    return {
      error: `no namespace could be read in full, so no snapshot can be sent; unreadable: ${unread.join(", ")}`,
    };
  }
  return { scope: { namespaces: [...candidates].sort() } };
}

export interface ClusterGatherer {
  /** the manifest of every kind read so far, in catalog order */
  manifest(): ManifestEntry[];
  gather(source: UploadSource, progress: (line: string) => void): Promise<Gathered>;
}

function describe(m: ManifestEntry): string {
  const what = m.status === "read" ? String(m.count) : `${m.status}, ${m.count} read`;
  return `  ${m.resource}: ${what}${m.reason ? ` (${m.reason})` : ""}`;
}

/** Discovery and the namespace list happen once; then each upload is gathered on demand, one at a time. */
export async function clusterGatherer(reader: KubeReader, opts: ClusterOptions): Promise<ClusterGatherer> {
  const resolutions = await resolveEntries(reader, CATALOG);
  const seen = new Set<string>();
  const results = new Map<CatalogEntry, EntryResult>();
  const collectOptions = {
    pageSize: opts.pageSize,
    istioNamespace: opts.istioNamespace,
    onlyNamespaces: opts.onlyNamespaces,
    knownNamespaces: () => [...seen].sort(),
  };
  const collect = async (entry: CatalogEntry): Promise<EntryResult> => {
    const resolution = resolutions.get(entry) ?? { ok: false, status: "failed", reason: "not discovered" };
    const r = await collectEntry(reader, entry, resolution, collectOptions);
    for (const item of r.items) {
      const meta = item.metadata as { name?: unknown } | undefined;
      const ns = entry === NAMESPACES ? meta?.name : namespaceOf(item);
      if (typeof ns === "string") seen.add(ns);
    }
    return r;
  };
  results.set(NAMESPACES, await collect(NAMESPACES));
  const firstFailure = [...resolutions.values()].find((r) => !r.ok);
  const discoveryFailed =
    firstFailure !== undefined && !firstFailure.ok && firstFailure.reason.startsWith("discovery failed")
      ? firstFailure.reason
      : undefined;

  return {
    manifest: () => CATALOG.flatMap((e) => results.get(e)?.manifest ?? []),
    async gather(source, progress) {
      const manifest: ManifestEntry[] = [];
      const items: KubeObject[] = [];
      for (const entry of CATALOG.filter((e) => e.upload === source)) {
        const r = results.get(entry) ?? (await collect(entry));
        // keep the manifest line only: the items leave with this upload
        results.set(entry, { manifest: r.manifest, items: [] });
        manifest.push(r.manifest);
        for (const it of r.items) items.push(it);
        if (!discoveryFailed) progress(describe(r.manifest));
      }
      if (discoveryFailed)
        return { state: "failed", source, reason: `cluster unreachable: ${discoveryFailed}`, manifest };
      if (source === "trivy-operator" && manifest.every((m) => m.status === "absent")) {
        // not installed: no snapshot, so findings of an earlier install are neither confirmed nor resolved
        return {
          state: "skipped",
          source,
          reason: "trivy-operator is not installed (no report kind served)",
          manifest,
        };
      }
      const { scope, error } = scopeFor(manifest, [...seen].sort(), opts);
      if (error) return { state: "failed", source, reason: error, manifest };
      const report = { apiVersion: "v1" as const, kind: "List" as const, items };
      return scope
        ? { state: "ready", source, report, scope, manifest }
        : { state: "ready", source, report, manifest };
    },
  };
}
