/**
 * What leaves the cluster, object by object. Pods are cut down to what mesh rules need (never env
 * values); Secrets to metadata and the names of their keys, every value blanked. Every object loses
 * managedFields and the `kubectl.kubernetes.io/last-applied-configuration` annotation: the latter holds the
 * whole applied object, which for a Secret applied with kubectl means its data.
 */
import type { CatalogEntry } from "./catalog.js";

export type KubeObject = Record<string, unknown>;

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
const ISTIO_MESH_CONFIGMAP = /^istio(-[a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function pick(src: unknown, keys: readonly string[]): KubeObject {
  const out: KubeObject = {};
  if (!isRecord(src)) return out;
  for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
  return out;
}

function cleanAnnotations(a: unknown): Record<string, unknown> | undefined {
  if (!isRecord(a)) return undefined;
  const { [LAST_APPLIED]: _dropped, ...rest } = a;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

function cleanMetadata(meta: unknown, keys?: readonly string[]): KubeObject {
  if (!isRecord(meta)) return {};
  const { managedFields: _m, ...rest } = meta;
  const out: KubeObject = keys ? pick(rest, keys) : rest;
  const annotations = cleanAnnotations(rest.annotations);
  if (annotations) out.annotations = annotations;
  else delete out.annotations;
  return out;
}

const POD_META = ["name", "namespace", "labels", "annotations", "ownerReferences"] as const;
const CONTAINER_FIELDS = ["name", "image", "securityContext", "ports"] as const;

function reduceContainers(list: unknown): KubeObject[] | undefined {
  return Array.isArray(list) ? list.map((c) => pick(c, CONTAINER_FIELDS)) : undefined;
}

function reducePod(pod: KubeObject, apiVersion: string): KubeObject {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const out: KubeObject = pick(spec, ["serviceAccountName", "hostNetwork"]);
  const containers = reduceContainers(spec.containers);
  if (containers) out.containers = containers;
  const init = reduceContainers(spec.initContainers);
  if (init) out.initContainers = init;
  return { apiVersion, kind: "Pod", metadata: cleanMetadata(pod.metadata, POD_META), spec: out };
}

function secretMetadata(secret: KubeObject, apiVersion: string): KubeObject {
  const keys = new Set<string>();
  for (const field of ["data", "stringData"] as const) {
    const v = secret[field];
    if (isRecord(v)) for (const k of Object.keys(v)) keys.add(k);
  }
  // the names of the keys tell rules what a Secret holds (tls.key, ca-key.pem…): kept in the Secret's own
  // shape, as `data` with every value blanked, which is what the mesh-config parser reads; values never leave
  const data: Record<string, string> = {};
  for (const k of [...keys].sort()) data[k] = "";
  return {
    apiVersion,
    kind: "Secret",
    metadata: cleanMetadata(secret.metadata, ["name", "namespace", "labels", "annotations"]),
    type: secret.type,
    data,
  };
}

/**
 * Turn one item of a List response into what the upload carries, or null to leave it out. List items of
 * built-in kinds come without apiVersion and kind (kubectl adds them too), so both are set here.
 */
export function reduceItem(entry: CatalogEntry, apiVersion: string, item: unknown): KubeObject | null {
  if (!isRecord(item)) return null;
  if (entry.group === "" && entry.resource === "pods") return reducePod(item, apiVersion);
  if (entry.group === "" && entry.resource === "secrets") return secretMetadata(item, apiVersion);
  if (entry.group === "" && entry.resource === "configmaps") {
    // only the mesh configuration (`istio`, `istio-<revision>`, holding a `mesh` key); istio-ca-root-cert and
    // the rest of istio-system's ConfigMaps are none of the collector's business
    const name = isRecord(item.metadata) ? item.metadata.name : undefined;
    const data = isRecord(item.data) ? item.data : {};
    if (typeof name !== "string" || !ISTIO_MESH_CONFIGMAP.test(name) || !("mesh" in data)) return null;
    return { apiVersion, kind: "ConfigMap", metadata: cleanMetadata(item.metadata), data };
  }
  const { apiVersion: _a, kind: _k, metadata, ...rest } = item;
  return { apiVersion, kind: entry.kind, metadata: cleanMetadata(metadata), ...rest };
}

export function namespaceOf(obj: KubeObject): string | undefined {
  const ns = isRecord(obj.metadata) ? obj.metadata.namespace : undefined;
  return typeof ns === "string" ? ns : undefined;
}
