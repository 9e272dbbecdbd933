import { type K8sObject, str, strs } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { isEgressGateway, meta, objRef, y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-EGR-03",
  title: "External service reached directly from sidecars, not through an egress gateway",
  severity: "low",
  strategy: "PROT-EDGE",
  nist: [N.DR8],
  needs: ["istio"],
  rationale:
    "REGISTRY_ONLY is enforced by the calling sidecar, which a compromised pod can bypass. Routing external " +
    "traffic through a dedicated egress gateway (with NetworkPolicy allowing egress only from it) gives one " +
    "monitored, enforceable exit point.",
  remediation:
    "Route the ServiceEntry's hosts through the egress gateway with a VirtualService (mesh → egress gateway → " +
    "external), and restrict direct egress with NetworkPolicy.",
  fix: (v) =>
    y(
      {
        apiVersion: "networking.istio.io/v1",
        kind: "Gateway",
        metadata: { name: "egress", namespace: "istio-egress" },
        spec: {
          selector: { istio: "egressgateway" },
          servers: [
            {
              port: { number: 443, name: "tls", protocol: "TLS" },
              hosts: v.evidence?.hosts ?? [],
              tls: { mode: "PASSTHROUGH" },
            },
          ],
        },
      },
      {
        apiVersion: "networking.istio.io/v1",
        kind: "VirtualService",
        metadata: { name: `${v.resource.name}-via-egress`, ...meta(v.resource) },
        spec: {
          hosts: v.evidence?.hosts ?? [],
          gateways: ["mesh", "istio-egress/egress"],
          tls: [
            {
              match: [{ gateways: ["mesh"], port: 443, sniHosts: v.evidence?.hosts ?? [] }],
              route: [
                {
                  destination: {
                    host: "istio-egressgateway.istio-egress.svc.cluster.local",
                    port: { number: 443 },
                  },
                },
              ],
            },
          ],
        },
      },
    ),
  references: [
    ISTIO_DOCS.egress,
    "https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway/",
  ],
  check(ctx) {
    const egressGateways = new Set(
      ctx.inv
        .of("Gateway")
        .filter(isEgressGateway)
        .map((g) => `${g.namespace}/${g.name}`),
    );
    // hosts some VirtualService sends through an egress gateway, computed once (not per ServiceEntry)
    const viaEgress = new Set<string>();
    for (const vs of ctx.inv.of("VirtualService")) {
      if (
        strs(vs.spec.gateways).some((g) => egressGateways.has(g.includes("/") ? g : `${vs.namespace}/${g}`))
      ) {
        for (const h of strs(vs.spec.hosts)) viaEgress.add(h);
      }
    }
    const routed = (se: K8sObject) => strs(se.spec.hosts).some((h) => viaEgress.has(h));
    const out: Violation[] = [];
    for (const se of ctx.inv.of("ServiceEntry")) {
      if (str(se.spec.location) === "MESH_INTERNAL" || routed(se)) continue;
      out.push({
        resource: objRef(se),
        message: `external host(s) ${strs(se.spec.hosts).join(", ")} not routed through an egress gateway`,
        evidence: { hosts: strs(se.spec.hosts) },
      });
    }
    return out;
  },
};
