import type { OwnerReference } from "../../parsers/owner.js";
import { ReportParseError } from "../../parsers/types.js";
import { isRec, type Rec } from "../../parsers/util.js";

export type { Rec };
export { isRec };

/** One Kubernetes object of the List, with the metadata every rule reads already normalised. */
export interface K8sObject {
  apiVersion: string;
  /** API group without version (`security.istio.io`, `""` for core) */
  group: string;
  version: string;
  kind: string;
  name: string;
  /** null for cluster-scoped kinds */
  namespace: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  ownerReferences: OwnerReference[];
  creationTimestamp: string | null;
  spec: Rec;
  raw: Rec;
  /** JSON path of the object in the report, for error messages */
  path: string;
}

const CLUSTER_SCOPED = new Set([
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
  "CustomResourceDefinition",
  "Node",
  "PersistentVolume",
  "StorageClass",
]);

/** A bare MeshConfig fragment (no apiVersion/kind) as written by istioctl tests and Helm values. */
export interface Flattened {
  objects: K8sObject[];
  meshFragments: { mesh: Rec; path: string }[];
  /** documents that are neither objects nor mesh fragments (null documents, comments-only files, …) */
  ignored: number;
}

const MESH_KEYS = new Set([
  "enableAutoMtls",
  "defaultConfig",
  "outboundTrafficPolicy",
  "rootNamespace",
  "accessLogFile",
  "accessLogFormat",
  "accessLogEncoding",
  "extensionProviders",
  "defaultProviders",
  "meshMTLS",
  "trustDomain",
  "pathNormalization",
  "enablePrometheusMerge",
  "enableTracing",
  "defaultServiceExportTo",
  "defaultVirtualServiceExportTo",
  "defaultDestinationRuleExportTo",
  "tlsDefaults",
]);

function stringMap(v: unknown): Record<string, string> {
  if (!isRec(v)) return {};
  const out: Record<string, string> = {};
  // label and annotation values are strings in the API; YAML may turn `true`/`10` into scalars
  for (const [k, val] of Object.entries(v)) if (val !== null && val !== undefined) out[k] = String(val);
  return out;
}

function toObject(item: Rec, path: string): K8sObject | null {
  const kind = typeof item.kind === "string" ? item.kind : "";
  const apiVersion = typeof item.apiVersion === "string" ? item.apiVersion : "";
  if (!kind) return null;
  const meta = isRec(item.metadata) ? item.metadata : {};
  const slash = apiVersion.lastIndexOf("/");
  const name = typeof meta.name === "string" ? meta.name : "";
  const ns = typeof meta.namespace === "string" && meta.namespace ? meta.namespace : null;
  const refs = Array.isArray(meta.ownerReferences) ? meta.ownerReferences.filter(isRec) : [];
  return {
    apiVersion,
    group: slash >= 0 ? apiVersion.slice(0, slash) : "",
    version: slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion,
    kind,
    name,
    // a namespaced object without a namespace is applied to the client's namespace: `default`
    namespace: CLUSTER_SCOPED.has(kind) ? null : (ns ?? "default"),
    labels: stringMap(meta.labels),
    annotations: stringMap(meta.annotations),
    ownerReferences: refs.map((r) => ({
      kind: typeof r.kind === "string" ? r.kind : null,
      name: typeof r.name === "string" ? r.name : null,
      controller: r.controller === true,
    })),
    creationTimestamp: typeof meta.creationTimestamp === "string" ? meta.creationTimestamp : null,
    spec: isRec(item.spec) ? item.spec : {},
    raw: item,
    path,
  };
}

function isMeshFragment(item: Rec): boolean {
  if ("kind" in item || "apiVersion" in item) return false;
  const keys = Object.keys(item);
  return keys.length > 0 && keys.every((k) => MESH_KEYS.has(k));
}

/**
 * The report as a flat list of objects: a List `{items}`, nested `kind: *List` (NetworkPolicyList…), a bare
 * array (multi-document YAML parsed by the caller), or a single object. Anything that is not an object where
 * an object must be is a parse error naming its path.
 */
export function flatten(report: unknown): Flattened {
  const out: Flattened = { objects: [], meshFragments: [], ignored: 0 };
  const visit = (v: unknown, path: string, depth: number): void => {
    if (v === null || v === undefined) {
      out.ignored++;
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        visit(x, `${path}[${i}]`, depth + 1);
      });
      return;
    }
    if (!isRec(v)) throw new ReportParseError(path, "expected a Kubernetes object or List");
    const kind = typeof v.kind === "string" ? v.kind : "";
    if ("items" in v && (kind === "" || kind.endsWith("List"))) {
      if (!Array.isArray(v.items)) throw new ReportParseError(`${path}.items`, "expected an array");
      if (depth > 8) throw new ReportParseError(path, "Lists nested too deep");
      v.items.forEach((x, i) => {
        visit(x, `${path}.items[${i}]`, depth + 1);
      });
      return;
    }
    if (isMeshFragment(v)) {
      out.meshFragments.push({ mesh: v, path });
      return;
    }
    const o = toObject(v, path);
    if (o) out.objects.push(o);
    else out.ignored++;
  };
  if (!isRec(report) && !Array.isArray(report)) {
    throw new ReportParseError("$", "expected a Kubernetes List ({items: [...]}) or an object");
  }
  visit(report, "$", 0);
  return out;
}

/** Readers that tolerate the shapes YAML produces (absent, null, scalar where a list is expected). */
export const rec = (v: unknown): Rec => (isRec(v) ? v : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const recs = (v: unknown): Rec[] => arr(v).filter(isRec);
export const str = (v: unknown): string | null =>
  typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : null;
export const strs = (v: unknown): string[] =>
  arr(v)
    .map(str)
    .filter((s): s is string => s !== null);
export const num = (v: unknown): number | null => {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
};

/** `kind/namespace/name` (or `kind/name` when cluster-scoped): how findings and details name an object. */
export function refOf(o: Pick<K8sObject, "kind" | "namespace" | "name">): string {
  return o.namespace ? `${o.kind}/${o.namespace}/${o.name}` : `${o.kind}/${o.name}`;
}

export const ISTIO_GROUP = /(^|\.)istio\.io$/;
