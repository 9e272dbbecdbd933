/**
 * Reading one catalog entry: paginated lists (limit/continue) reduced page by page, so a raw page is the most
 * of the server's JSON held at once. A kind that is not served or forbidden is recorded, not fatal.
 *
 * 410 Gone: the API server expires a continue token once etcd compacts past its resource version (about
 * five minutes). The list restarts from the beginning once, dropping what it had; if the restarted list
 * expires too, one list without `limit` reads the kind in a single consistent response.
 */
import { type CatalogEntry, entryName, type UploadSource } from "./catalog.js";
import { type KubeReader, kubeReason, kubeStatus, type ListRequest } from "./client.js";
import type { Resolution } from "./discover.js";
import { type KubeObject, reduceItem } from "./reduce.js";

export type EntryStatus = "read" | "partial" | "absent" | "forbidden" | "failed";

export interface ManifestEntry {
  upload: UploadSource;
  resource: string;
  kind: string;
  apiVersion?: string;
  namespaced?: boolean;
  /** read only in the Istio namespace (Secret metadata, the mesh ConfigMap) */
  istioNamespaceOnly?: boolean;
  status: EntryStatus;
  count: number;
  /** the namespaces this kind was read in, when it was not read cluster-wide */
  namespaces?: string[];
  /** why it was skipped or only partly read */
  reason?: string;
  /** times a list restarted after its continue token expired (410) */
  restarts?: number;
}

export interface CollectOptions {
  pageSize: number;
  istioNamespace: string;
  /** --namespace: read namespaced kinds only in these */
  onlyNamespaces?: string[] | undefined;
  /** the cluster's namespaces, for listing namespace by namespace when a cluster-wide list is forbidden */
  knownNamespaces: () => string[];
}

export interface EntryResult {
  manifest: ManifestEntry;
  items: KubeObject[];
}

export async function listAll(
  reader: KubeReader,
  req: ListRequest,
  pageSize: number,
  reduce: (item: unknown) => KubeObject | null,
): Promise<{ items: KubeObject[]; restarts: number }> {
  let items: KubeObject[] = [];
  let restarts = 0;
  let token: string | undefined;
  const take = (page: unknown[]) => {
    for (const raw of page) {
      const r = reduce(raw);
      if (r) items.push(r);
    }
  };
  for (;;) {
    try {
      const page = await reader.list({ ...req, limit: pageSize, continueToken: token });
      take(page.items);
      token = page.continueToken;
      if (!token) return { items, restarts };
    } catch (e) {
      if (kubeStatus(e) !== 410 || token === undefined) throw e;
      items = [];
      token = undefined;
      restarts += 1;
      if (restarts > 1) {
        take((await reader.list({ ...req })).items);
        return { items, restarts };
      }
    }
  }
}

function statusOf(e: unknown): EntryStatus {
  const code = kubeStatus(e);
  if (code === 403) return "forbidden";
  if (code === 404) return "absent";
  return "failed";
}

async function perNamespace(
  reader: KubeReader,
  base: ListRequest,
  namespaces: string[],
  opts: CollectOptions,
  reduce: (item: unknown) => KubeObject | null,
): Promise<{
  items: KubeObject[];
  read: string[];
  failures: string[];
  restarts: number;
  forbiddenOnly: boolean;
}> {
  const items: KubeObject[] = [];
  const read: string[] = [];
  const failures: string[] = [];
  let restarts = 0;
  let forbiddenOnly = true;
  for (const namespace of namespaces) {
    try {
      const r = await listAll(reader, { ...base, namespace }, opts.pageSize, reduce);
      for (const it of r.items) items.push(it);
      restarts += r.restarts;
      read.push(namespace);
    } catch (e) {
      // a namespace deleted since it was listed answers 404: nothing there to read
      if (kubeStatus(e) === 404) read.push(namespace);
      else {
        if (kubeStatus(e) !== 403) forbiddenOnly = false;
        failures.push(`${namespace}: ${kubeReason(e)}`);
      }
    }
  }
  return { items, read, failures, restarts, forbiddenOnly };
}

export async function collectEntry(
  reader: KubeReader,
  entry: CatalogEntry,
  resolution: Resolution,
  opts: CollectOptions,
): Promise<EntryResult> {
  const manifest: ManifestEntry = {
    upload: entry.upload,
    resource: entryName(entry),
    kind: entry.kind,
    status: "read",
    count: 0,
  };
  if (entry.istioNamespaceOnly) manifest.istioNamespaceOnly = true;
  if (!resolution.ok) {
    return { manifest: { ...manifest, status: resolution.status, reason: resolution.reason }, items: [] };
  }
  const apiVersion = entry.group ? `${entry.group}/${resolution.version}` : resolution.version;
  manifest.apiVersion = apiVersion;
  manifest.namespaced = resolution.namespaced;
  const reduce = (raw: unknown) => reduceItem(entry, apiVersion, raw);
  const base: ListRequest = { group: entry.group, version: resolution.version, resource: entry.resource };
  const finish = (items: KubeObject[], extra: Partial<ManifestEntry>): EntryResult => {
    const m: ManifestEntry = { ...manifest, ...extra, count: items.length };
    if (!m.restarts) delete m.restarts;
    return { manifest: m, items };
  };

  const targeted = entry.istioNamespaceOnly
    ? [opts.istioNamespace]
    : resolution.namespaced
      ? opts.onlyNamespaces
      : undefined;
  if (!targeted) {
    try {
      const r = await listAll(reader, base, opts.pageSize, reduce);
      return finish(r.items, { restarts: r.restarts });
    } catch (e) {
      const status = statusOf(e);
      if (status !== "forbidden" || !resolution.namespaced) {
        return finish([], { status, reason: kubeReason(e) });
      }
      // forbidden cluster-wide: a tenant may grant namespaced Roles only; read what those allow
      const known = opts.knownNamespaces();
      const r = await perNamespace(reader, base, known, opts, reduce);
      if (r.read.length === 0) return finish([], { status: "forbidden", reason: kubeReason(e) });
      return finish(r.items, {
        status: r.failures.length === 0 ? "read" : "partial",
        namespaces: r.read,
        reason: `cluster-wide list forbidden; ${r.failures.length} of ${known.length} namespaces unreadable`,
        restarts: r.restarts,
      });
    }
  }
  const r = await perNamespace(reader, base, targeted, opts, reduce);
  if (r.read.length === 0) {
    return finish([], { status: r.forbiddenOnly ? "forbidden" : "failed", reason: r.failures.join("; ") });
  }
  const extra: Partial<ManifestEntry> = { namespaces: r.read, restarts: r.restarts };
  if (r.failures.length > 0) {
    extra.status = "partial";
    extra.reason = r.failures.join("; ").slice(0, 500);
  }
  return finish(r.items, extra);
}
