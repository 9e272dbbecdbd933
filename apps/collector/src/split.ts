/**
 * A cluster too large for one upload still gets through: a report over the upload limits is sent as several
 * snapshots, each scoped to the namespaces it holds (contract §1.4 `scope`), so each one resolves only what it
 * covers. The last part is the remainder: the cluster-scoped objects, scoped as "everything but the namespaces
 * of the other parts" (`excludeNamespaces`), which also resolves findings of namespaces that no longer exist.
 * Splittable: trivy k8s (`Resources`, `Findings`, or ≤ 0.41 `Vulnerabilities` / `Misconfigurations`) and
 * Kubernetes Lists of report objects (trivy-operator). Other reports (mesh-config, whose rules span
 * namespaces; kube-bench; …) go whole.
 */
import type { Envelope } from "./deliver.js";
import { type EncodedEnvelope, encodeEnvelope } from "./upload.js";

export interface UploadLimits {
  /** request body (gzip) bytes per upload; the server's limit is 32 MiB */
  maxBodyBytes: number;
  /** JSON bytes per upload; the server's limit is 256 MiB once decompressed */
  maxJsonBytes: number;
}

export const DEFAULT_LIMITS: UploadLimits = {
  maxBodyBytes: 24 * 1024 * 1024,
  maxJsonBytes: 200 * 1024 * 1024,
};

/** Parts are packed to this share of the limits: compression ratios vary between namespaces. */
const FILL = 0.8;

export interface Part {
  envelope: Envelope;
  /** already encoded when the whole report was measured and fits */
  encoded?: EncodedEnvelope;
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);

interface Listed {
  /** the report keys holding the lists, each with its items */
  lists: { key: string; items: unknown[] }[];
  namespaceOf(item: unknown): string | null;
}

function listsOf(source: string, report: Envelope["report"]): Listed | null {
  if (!isRec(report)) return null;
  if (source === "trivy" && typeof report.ClusterName === "string") {
    const keys = ["Resources", "Findings", "Vulnerabilities", "Misconfigurations"].filter((k) =>
      Array.isArray(report[k]),
    );
    if (keys.length === 0) return null;
    return {
      lists: keys.map((key) => ({ key, items: report[key] as unknown[] })),
      namespaceOf: (i) => (isRec(i) && typeof i.Namespace === "string" && i.Namespace ? i.Namespace : null),
    };
  }
  if (source === "trivy-operator" && Array.isArray(report.items)) {
    return {
      lists: [{ key: "items", items: report.items }],
      namespaceOf: (i) => {
        const m = isRec(i) && isRec(i.metadata) ? i.metadata : null;
        return m && typeof m.namespace === "string" && m.namespace ? m.namespace : null;
      },
    };
  }
  return null;
}

interface Group {
  namespace: string | null;
  items: { key: string; item: unknown }[];
  bytes: number;
}

function partOf(env: Envelope, listed: Listed, groups: Group[], scope: Envelope["scope"]): Envelope {
  const report: Rec = { ...(env.report as Rec) };
  for (const { key } of listed.lists) report[key] = [];
  for (const g of groups) for (const { key, item } of g.items) (report[key] as unknown[]).push(item);
  const part: Envelope = { ...env, report };
  if (scope) part.scope = scope;
  else delete part.scope;
  return part;
}

/** The envelope as one part when it fits, else one part per group of namespaces plus the remainder. */
export function splitEnvelope(env: Envelope, limits: UploadLimits = DEFAULT_LIMITS): Part[] {
  const encoded = encodeEnvelope(env, true);
  if (encoded.body.length <= limits.maxBodyBytes && encoded.json.length <= limits.maxJsonBytes)
    return [{ envelope: env, encoded }];
  const listed = listsOf(env.source, env.report);
  // a scope made by an earlier split, or a report without lists: sent whole (the server may answer 413)
  if (!listed || (env.scope && !env.scope.namespaces) || env.scope?.clusterScoped)
    return [{ envelope: env, encoded }];
  const ratio = encoded.body.length / encoded.json.length;
  const budget = Math.min(limits.maxJsonBytes, limits.maxBodyBytes / ratio) * FILL;

  const byNs = new Map<string | null, Group>();
  for (const { key, items } of listed.lists) {
    for (const item of items) {
      const ns = listed.namespaceOf(item);
      let g = byNs.get(ns);
      if (!g) {
        g = { namespace: ns, items: [], bytes: 0 };
        byNs.set(ns, g);
      }
      g.items.push({ key, item });
      g.bytes += JSON.stringify(item).length + 1;
    }
  }
  const named = [...byNs.values()]
    .filter((g) => g.namespace !== null)
    .sort((a, b) => ((a.namespace as string) < (b.namespace as string) ? -1 : 1));
  const frame = encoded.json.length - [...byNs.values()].reduce((n, g) => n + g.bytes, 0);

  const packs: Group[][] = [];
  let current: Group[] = [];
  let size = frame;
  for (const g of named) {
    if (current.length > 0 && size + g.bytes > budget) {
      packs.push(current);
      current = [];
      size = frame;
    }
    current.push(g);
    size += g.bytes;
  }
  if (current.length > 0) packs.push(current);

  const parts: Part[] = packs.map((p) => ({
    envelope: partOf(env, listed, p, { namespaces: p.map((g) => g.namespace as string) }),
  }));
  const covered = packs.flat().map((g) => g.namespace as string);
  const clusterScoped = byNs.get(null);
  if (env.scope?.namespaces) {
    // a partial read: only the scoped namespaces may be resolved; those without items go in one more part
    const rest = env.scope.namespaces.filter((ns) => !covered.includes(ns));
    if (rest.length > 0) parts.push({ envelope: partOf(env, listed, [], { namespaces: rest }) });
  } else {
    // the remainder: cluster-scoped objects, and the truth about every namespace not covered above
    const scope = covered.length > 0 ? { excludeNamespaces: covered } : undefined;
    parts.push({ envelope: partOf(env, listed, clusterScoped ? [clusterScoped] : [], scope) });
  }
  return parts;
}
