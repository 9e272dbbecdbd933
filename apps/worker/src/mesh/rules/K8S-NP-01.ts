import { type K8sObject, num, rec, recs, strs } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { nsRef, y } from "./util.js";

const CONTROL_PLANE_PLAINTEXT = [15010, 8080];
const KUBE = new Set(["kube-system", "kube-public", "kube-node-lease"]);

/** podSelector {} + Ingress in policyTypes (explicit, or implied) + no ingress rule = deny all ingress. */
export function isDefaultDenyIngress(np: K8sObject): boolean {
  if (Object.keys(rec(rec(np.spec.podSelector).matchLabels)).length > 0) return false;
  if (recs(rec(np.spec.podSelector).matchExpressions).length > 0) return false;
  const types = strs(np.spec.policyTypes);
  const ingress = types.length > 0 ? types.includes("Ingress") : true;
  return ingress && recs(np.spec.ingress).length === 0;
}

/** Ports an ingress rule opens to every source (a rule without `from`). */
function openPorts(np: K8sObject): number[] {
  const out: number[] = [];
  for (const r of recs(np.spec.ingress)) {
    if (recs(r.from).length > 0) continue;
    for (const p of recs(r.ports)) {
      const n = num(p.port);
      if (n !== null) out.push(n);
    }
  }
  return out;
}

export const rule: MeshRule = {
  id: "K8S-NP-01",
  title: "Namespace without a default-deny ingress NetworkPolicy",
  severity: "medium",
  strategy: "PROT-EDGE",
  nist: [N.SS13],
  needs: ["namespaces"],
  rationale:
    "The sidecar is bypassable at L3 (hostNetwork pods, capture exclusions, un-meshed pods reach pod IPs " +
    "directly). MS-SS-13 adds network segmentation under the mesh; for the Istio namespace it also keeps " +
    "istiod's plaintext ports (15010 xDS, 8080 debug) away from other namespaces.",
  remediation:
    "Add a default-deny ingress NetworkPolicy per namespace, then allow the mesh ports (15008, 15012, 15017, " +
    "app ports) from the namespaces that need them.",
  fix: (v) =>
    y({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "default-deny-ingress", namespace: v.resource.name },
      spec: { podSelector: {}, policyTypes: ["Ingress"] },
    }),
  references: [ISTIO_DOCS.networkPolicy, ISTIO_DOCS.security],
  check(ctx) {
    const nps = new Map<string, K8sObject[]>();
    for (const np of ctx.inv.of("NetworkPolicy")) {
      const ns = np.namespace ?? "";
      nps.set(ns, [...(nps.get(ns) ?? []), np]);
    }
    const istioNs = ctx.inv.cp.istioNamespace;
    const gatewayNs = new Set(ctx.inv.workloads.filter((w) => w.gateway).map((w) => w.namespace));
    const out: Violation[] = [];
    for (const ns of ctx.inv.namespaces.values()) {
      if (KUBE.has(ns.name)) continue;
      const list = nps.get(ns.name) ?? [];
      if (list.some(isDefaultDenyIngress)) continue;
      const critical = ns.name === istioNs || gatewayNs.has(ns.name);
      const exposed =
        ns.name === istioNs
          ? [...new Set(list.flatMap(openPorts))].filter((p) => CONTROL_PLANE_PLAINTEXT.includes(p))
          : [];
      out.push({
        resource: nsRef(ns.name),
        affected: (ctx.inv.workloadsByNs.get(ns.name) ?? []).filter((w) => !w.system || w.gateway),
        severity: critical ? "medium" : "low",
        message: `no default-deny ingress NetworkPolicy in ${ns.name}${exposed.length ? `; istiod plaintext port(s) ${exposed.join(", ")} open to all sources` : ""}`,
        evidence: {
          networkPolicies: list.map((n) => n.name),
          plaintextControlPlanePorts: exposed,
          role: critical ? "control-plane-or-gateway" : "application",
        },
      });
    }
    return out;
  },
};
