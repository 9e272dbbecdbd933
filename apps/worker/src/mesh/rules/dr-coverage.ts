import { type K8sObject, type Rec, str } from "../model/objects.js";
import type { Workload } from "../model/workloads.js";
import { HostIndex } from "./hosts.js";
import type { MeshContext, Violation } from "./types.js";
import { nsRef, trafficPolicies } from "./util.js";

const CLUSTER_DOMAIN = "svc.cluster.local";

/**
 * DestinationRules by the FQDN they target: a short name is resolved in the rule's own namespace, and
 * `name.ns` / `name.ns.svc` are completed to the cluster domain.
 */
function indexByFqdn(drs: readonly K8sObject[]): HostIndex<K8sObject> {
  const index = new HostIndex<K8sObject>();
  for (const dr of drs) {
    const host = str(dr.spec.host) ?? "";
    if (!host) continue;
    if (!host.includes(".")) index.add(`${host}.${dr.namespace}.${CLUSTER_DOMAIN}`, dr);
    else if (/^[^.*]+\.[^.]+(\.svc)?$/.test(host))
      index.add(`${host.replace(/\.svc$/, "")}.${CLUSTER_DOMAIN}`, dr);
    else index.add(host, dr);
  }
  return index;
}

/**
 * Services of namespaces that run sidecar workloads whose DestinationRules set none of `has`, grouped per
 * namespace: the shared engine of the circuit-breaking rules (one finding per namespace, services listed).
 */
export function servicesWithout(ctx: MeshContext, has: (tp: Rec) => boolean): Violation[] {
  const meshedNs = new Map<string, Workload[]>();
  for (const w of ctx.apps) {
    if (w.dataPlane !== "sidecar") continue;
    meshedNs.set(w.namespace, [...(meshedNs.get(w.namespace) ?? []), w]);
  }
  const providing = indexByFqdn(ctx.inv.of("DestinationRule").filter((dr) => trafficPolicies(dr).some(has)));
  const missing = new Map<string, string[]>();
  for (const s of ctx.inv.of("Service")) {
    const ns = s.namespace ?? "";
    if (!meshedNs.has(ns)) continue;
    if (providing.match(`${s.name}.${ns}.${CLUSTER_DOMAIN}`).length > 0) continue;
    missing.set(ns, [...(missing.get(ns) ?? []), s.name]);
  }
  return [...missing]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([ns, services]) => ({
      resource: nsRef(ns),
      affected: meshedNs.get(ns) ?? [],
      message: `${services.length} service(s) in ${ns}: ${services.slice(0, 10).join(", ")}${services.length > 10 ? ", …" : ""}`,
      evidence: { services: services.slice(0, 50), count: services.length },
    }));
}
