import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { objRef, y } from "./util.js";

/** Namespaces where gateways belong: the control plane's, and those named for gateways. */
export function isGatewayNamespace(ns: string, istioNamespace: string, root: string): boolean {
  return ns === istioNamespace || ns === root || ns === "istio-system" || /gateway|ingress|egress/.test(ns);
}

export const rule: MeshRule = {
  id: "MESH-GW-03",
  title: "Gateway defined outside the gateway/platform namespaces",
  severity: "medium",
  strategy: "LP-OPS",
  nist: [N.A48],
  needs: ["istio"],
  rationale:
    "Gateway resources attach hosts and ports to shared ingress proxies. When application namespaces can " +
    "create them, any team can expose services to the internet or hijack another team's host; Istio advises " +
    "restricting Gateway creation to the platform team.",
  remediation:
    "Move the Gateway into the gateway namespace owned by the platform team, let application teams bind " +
    "VirtualServices to it (`gateways: [istio-ingress/public]`), and remove Gateway create rights from " +
    "application roles (MESH-RBAC-02).",
  fix: (v) =>
    y({
      apiVersion: "networking.istio.io/v1",
      kind: "Gateway",
      metadata: { name: v.resource.name, namespace: "istio-ingress" },
      spec: {
        selector: { istio: "ingressgateway" },
        servers: [
          {
            port: { number: 443, name: "https", protocol: "HTTPS" },
            hosts: [`${v.resource.namespace}/app.example.com`],
            tls: { mode: "SIMPLE", credentialName: "app-example-com" },
          },
        ],
      },
    }),
  references: [
    ISTIO_DOCS.gateway,
    "https://istio.io/latest/docs/ops/best-practices/security/#restrict-gateway-creation-privileges",
  ],
  check(ctx) {
    const out: Violation[] = [];
    const istioNs = ctx.inv.cp.istioNamespace;
    for (const gw of ctx.inv.of("Gateway")) {
      const ns = gw.namespace ?? "";
      if (isGatewayNamespace(ns, istioNs, ctx.root)) continue;
      out.push({
        resource: objRef(gw),
        message: `Gateway in application namespace ${ns}`,
        evidence: { namespace: ns },
      });
    }
    return out;
  },
};
