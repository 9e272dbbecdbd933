import type { Labels } from "../effective/scope.js";
import { type ControlPlane, readControlPlane } from "./control-plane.js";
import { flatten, ISTIO_GROUP, type K8sObject, rec } from "./objects.js";
import { buildWorkloads, type NamespaceInfo, namespacesOf, type Workload } from "./workloads.js";

/** Kinds that exist both in Istio's API groups and elsewhere (Gateway API): indexed by group. */
const ISTIO_KINDS = new Set([
  "PeerAuthentication",
  "AuthorizationPolicy",
  "RequestAuthentication",
  "Gateway",
  "VirtualService",
  "DestinationRule",
  "ServiceEntry",
  "Sidecar",
  "EnvoyFilter",
  "WorkloadEntry",
  "WorkloadGroup",
  "Telemetry",
  "WasmPlugin",
  "ProxyConfig",
]);

export interface MeshPresence {
  present: boolean;
  /** what proved the mesh is installed (Istio API objects, mesh config, istiod, injector, proxies) */
  evidence: string[];
}

export interface Inventory {
  objects: K8sObject[];
  cp: ControlPlane;
  namespaces: Map<string, NamespaceInfo>;
  workloads: Workload[];
  workloadsByNs: Map<string, Workload[]>;
  serviceSelectors: Map<string, Labels>;
  presence: MeshPresence;
  ignored: number;
  counts: Record<string, number>;
  /** objects of a kind; Istio kinds only from *.istio.io groups (a Gateway API Gateway is `Gateway@group`) */
  of(kind: string): K8sObject[];
}

function keyOf(o: K8sObject): string {
  return ISTIO_KINDS.has(o.kind) && !ISTIO_GROUP.test(o.group) ? `${o.kind}@${o.group}` : o.kind;
}

function presenceOf(inv: Omit<Inventory, "presence" | "of">, byKind: Map<string, K8sObject[]>): MeshPresence {
  const evidence: string[] = [];
  const istioObjects = inv.objects.filter((o) => ISTIO_GROUP.test(o.group)).length;
  if (istioObjects > 0) evidence.push(`${istioObjects} object(s) of the istio.io API groups`);
  if (inv.cp.meshSource) evidence.push(`mesh config (${inv.cp.meshSource.kind} ${inv.cp.meshSource.name})`);
  if (inv.cp.istiod.length > 0) evidence.push("istiod Deployment");
  const injector = (byKind.get("MutatingWebhookConfiguration") ?? []).some((o) => o.name.includes("istio"));
  if (injector) evidence.push("sidecar injector webhook");
  if ((byKind.get("ConfigMap") ?? []).some((o) => o.name.startsWith("istio-sidecar-injector"))) {
    evidence.push("sidecar injector ConfigMap");
  }
  const proxies = inv.workloads.filter((w) => w.proxyImage !== null).length;
  if (proxies > 0) evidence.push(`${proxies} workload(s) running istio-proxy`);
  const ambient = [...inv.namespaces.values()].some((n) => n.labels["istio.io/dataplane-mode"] === "ambient");
  if (ambient) evidence.push("ambient-enrolled namespace");
  return { present: evidence.length > 0, evidence };
}

/**
 * Proxies selected by an Istio Gateway are gateways whatever their labels (custom ingress deployments):
 * they terminate edge traffic and are not application workloads.
 */
function markGateways(workloads: Workload[], gateways: readonly K8sObject[]): void {
  const selectors = gateways
    .map((g) => Object.entries(rec(g.spec.selector)).map(([k, v]) => [k, String(v)] as const))
    .filter((sel) => sel.length > 0);
  for (const w of workloads) {
    if (w.gateway || w.proxyImage === null) continue;
    if (selectors.some((sel) => sel.every(([k, v]) => w.labels[k] === v))) w.gateway = true;
  }
}

export function buildInventory(report: unknown): Inventory {
  const flat = flatten(report);
  const objects = flat.objects;
  const byKind = new Map<string, K8sObject[]>();
  const counts: Record<string, number> = {};
  for (const o of objects) {
    const k = keyOf(o);
    const list = byKind.get(k) ?? [];
    list.push(o);
    byKind.set(k, list);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  const cp = readControlPlane(objects, flat.meshFragments);
  const namespaces = namespacesOf(objects);
  const workloads = buildWorkloads(objects, {
    namespaces,
    istioNamespace: cp.istioNamespace,
    rootNamespace: cp.rootNamespace,
  });
  markGateways(workloads, byKind.get("Gateway") ?? []);
  const workloadsByNs = new Map<string, Workload[]>();
  for (const w of workloads) {
    const list = workloadsByNs.get(w.namespace) ?? [];
    list.push(w);
    workloadsByNs.set(w.namespace, list);
  }
  const serviceSelectors = new Map<string, Labels>();
  for (const s of byKind.get("Service") ?? []) {
    const sel = rec(s.spec.selector);
    if (Object.keys(sel).length > 0) {
      serviceSelectors.set(
        `${s.namespace}/${s.name}`,
        Object.fromEntries(Object.entries(sel).map(([k, v]) => [k, String(v)])),
      );
    }
  }
  const base = {
    objects,
    cp,
    namespaces,
    workloads,
    workloadsByNs,
    serviceSelectors,
    ignored: flat.ignored,
    counts,
  };
  return { ...base, presence: presenceOf(base, byKind), of: (kind: string) => byKind.get(kind) ?? [] };
}
