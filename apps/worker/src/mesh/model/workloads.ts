import { resolveOwner } from "../../parsers/owner.js";
import { type K8sObject, num, type Rec, rec, recs, str, strs } from "./objects.js";

export type DataPlane = "sidecar" | "ambient" | "none";

export interface ContainerInfo {
  name: string;
  image: string | null;
  /** effective runAsUser (container, else pod securityContext) */
  runAsUser: number | null;
  readiness: boolean;
  liveness: boolean;
}

export interface NamespaceInfo {
  name: string;
  labels: Record<string, string>;
  /** false when only known because objects live in it (no Namespace object in the List) */
  listed: boolean;
}

/** A workload named by its owner (contract §2.1): all Pods of a Deployment are one workload. */
export interface Workload {
  key: string;
  kind: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Pods seen; 0 when the workload is known only from a controller's pod template */
  pods: number;
  serviceAccount: string;
  hostNetwork: boolean;
  /** application containers (Istio's own containers excluded) */
  containers: ContainerInfo[];
  /** the istio-proxy container's image when present (sidecar or gateway); "" when present without image */
  proxyImage: string | null;
  /** every distinct istio-proxy image among the workload's Pods (a rollout mixes old and new proxies) */
  proxyImages: string[];
  initContainers: string[];
  dataPlane: DataPlane;
  /** explicit `sidecar.istio.io/inject: "false"` (the label wins over the annotation, as in the injector) */
  optOut: boolean;
  /** the injector would add a sidecar at admission */
  injectionExpected: boolean;
  gateway: boolean;
  system: boolean;
  batch: boolean;
}

export const ISTIO_CONTAINERS = new Set([
  "istio-proxy",
  "istio-init",
  "istio-validation",
  "enable-core-dump",
]);
const CONTROLLERS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"]);
const SYSTEM = new Set(["kube-system", "kube-public", "kube-node-lease"]);

export function isSystemNamespace(ns: string, istioNamespace: string, rootNamespace: string): boolean {
  return SYSTEM.has(ns) || ns === istioNamespace || ns === rootNamespace || ns === "istio-system";
}

function podTemplate(o: K8sObject): { meta: Rec; spec: Rec } | null {
  if (o.kind === "Pod") return { meta: rec(o.raw.metadata), spec: o.spec };
  const tpl = o.kind === "CronJob" ? rec(rec(rec(o.spec.jobTemplate).spec).template) : rec(o.spec.template);
  if (Object.keys(tpl).length === 0) return null;
  return { meta: rec(tpl.metadata), spec: rec(tpl.spec) };
}

function labelsOf(meta: Rec, key: "labels" | "annotations"): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec(meta[key]))) if (v !== null && v !== undefined) out[k] = String(v);
  return out;
}

function containerInfo(c: Rec, podUser: number | null): ContainerInfo {
  const sc = rec(c.securityContext);
  return {
    name: str(c.name) ?? "",
    image: str(c.image),
    runAsUser: num(sc.runAsUser) ?? podUser,
    readiness: "readinessProbe" in c && c.readinessProbe !== null,
    liveness: "livenessProbe" in c && c.livenessProbe !== null,
  };
}

interface Env {
  namespaces: Map<string, NamespaceInfo>;
  istioNamespace: string;
  rootNamespace: string;
}

function build(o: K8sObject, key: string, owner: { kind: string; name: string }, env: Env): Workload | null {
  const t = podTemplate(o);
  if (!t || !o.namespace) return null;
  const labels = o.kind === "Pod" ? o.labels : labelsOf(t.meta, "labels");
  const annotations = o.kind === "Pod" ? o.annotations : labelsOf(t.meta, "annotations");
  const spec = t.spec;
  const podUser = num(rec(spec.securityContext).runAsUser);
  const all = recs(spec.containers);
  const inits = recs(spec.initContainers);
  // native sidecars (Istio ≥ 1.19 with ENABLE_NATIVE_SIDECARS) put istio-proxy among the init containers
  const proxy = [...all, ...inits].find((c) => c.name === "istio-proxy");
  const nsLabels = env.namespaces.get(o.namespace)?.labels ?? {};
  const hostNetwork = spec.hostNetwork === true;
  const setting = labels["sidecar.istio.io/inject"] ?? annotations["sidecar.istio.io/inject"];
  const optOut = setting === "false";
  const nsInjection = nsLabels["istio-injection"];
  let injectionExpected = false;
  if (!hostNetwork && nsInjection !== "disabled") {
    if (nsInjection === "enabled" || nsLabels["istio.io/rev"]) injectionExpected = !optOut;
    // unlabelled namespace: only the object-selector webhook (pod label) injects
    else injectionExpected = labels["sidecar.istio.io/inject"] === "true" || !!labels["istio.io/rev"];
  }
  const ambient =
    labels["istio.io/dataplane-mode"] !== "none" &&
    (nsLabels["istio.io/dataplane-mode"] === "ambient" ||
      labels["istio.io/dataplane-mode"] === "ambient" ||
      annotations["ambient.istio.io/redirection"] === "enabled");
  // a real Pod shows what happened; a template shows what the injector will do at admission
  const hasProxy = !!proxy || (o.kind !== "Pod" && injectionExpected);
  const gateway =
    !!proxy &&
    (labels.istio === "ingressgateway" ||
      labels.istio === "egressgateway" ||
      !!labels["gateway.networking.k8s.io/gateway-name"] ||
      annotations["inject.istio.io/templates"] === "gateway" ||
      strs(proxy.args).includes("router"));
  return {
    key,
    kind: owner.kind,
    namespace: o.namespace,
    name: owner.name,
    labels,
    annotations,
    pods: o.kind === "Pod" ? 1 : 0,
    serviceAccount: str(spec.serviceAccountName) ?? str(spec.serviceAccount) ?? "default",
    hostNetwork,
    containers: all
      .filter((c) => !ISTIO_CONTAINERS.has(str(c.name) ?? ""))
      .map((c) => containerInfo(c, podUser)),
    proxyImage: proxy ? (str(proxy.image) ?? "") : null,
    proxyImages: proxy && str(proxy.image) ? [str(proxy.image) as string] : [],
    initContainers: inits.map((c) => str(c.name) ?? ""),
    dataPlane: hasProxy ? "sidecar" : ambient ? "ambient" : "none",
    optOut,
    injectionExpected,
    gateway,
    system: isSystemNamespace(o.namespace, env.istioNamespace, env.rootNamespace),
    batch: owner.kind === "Job" || owner.kind === "CronJob",
  };
}

/** Namespaces: the listed Namespace objects plus every namespace an object lives in. */
export function namespacesOf(objects: readonly K8sObject[]): Map<string, NamespaceInfo> {
  const out = new Map<string, NamespaceInfo>();
  for (const o of objects) {
    if (o.kind === "Namespace" && o.name) out.set(o.name, { name: o.name, labels: o.labels, listed: true });
  }
  for (const o of objects) {
    if (o.namespace && !out.has(o.namespace))
      out.set(o.namespace, { name: o.namespace, labels: {}, listed: false });
  }
  return out;
}

/**
 * Workloads = Pods grouped by owner; a controller whose Pods are not in the List contributes its pod template
 * (what the injector will see), so a List of Deployments alone is still analysed.
 */
export function buildWorkloads(objects: readonly K8sObject[], env: Env): Workload[] {
  const byKey = new Map<string, Workload>();
  for (const o of objects) {
    if (o.kind !== "Pod" || !o.namespace) continue;
    const owner = resolveOwner({
      kind: "Pod",
      name: o.name,
      labels: o.labels,
      ownerReferences: o.ownerReferences,
    });
    const key = `${owner.kind}/${o.namespace}/${owner.name}`;
    const seen = byKey.get(key);
    const w = build(o, key, owner, env);
    if (!w) continue;
    if (!seen) byKey.set(key, w);
    else {
      seen.pods++;
      for (const img of w.proxyImages) if (!seen.proxyImages.includes(img)) seen.proxyImages.push(img);
      // one Pod without the proxy leaves the workload partly outside the mesh
      if (w.dataPlane !== "sidecar" && seen.dataPlane === "sidecar") seen.dataPlane = w.dataPlane;
    }
  }
  for (const o of objects) {
    if (!CONTROLLERS.has(o.kind) || !o.namespace) continue;
    const owner = resolveOwner({
      kind: o.kind,
      name: o.name,
      labels: o.labels,
      ownerReferences: o.ownerReferences,
    });
    const key = `${owner.kind}/${o.namespace}/${owner.name}`;
    if (byKey.has(key)) continue;
    const w = build(o, key, owner, env);
    if (w) byKey.set(key, w);
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
