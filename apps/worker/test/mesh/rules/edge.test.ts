import { expect, it } from "vitest";
import { RULES } from "../../../src/mesh/index.js";
import { baselineMesh } from "../helpers.js";
import { type RuleCase, runCases } from "./run-cases.js";

const gateway = (ns: string, servers: string) => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: ${ns} }
spec:
  selector: { istio: ingressgateway }
  servers:
${servers}`;
const https = (host: string) =>
  `    - port: { number: 443, name: https, protocol: HTTPS }\n      hosts: ["${host}"]\n      tls: { mode: SIMPLE, credentialName: shop-example-com }\n`;
const se = (name: string, hosts: string, extra = "") => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${name}, namespace: shop }
spec:
  hosts: ${hosts}
  exportTo: ["."]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: tls, protocol: TLS }]
${extra}`;
const egress = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: egress, namespace: istio-egress }
spec:
  selector: { istio: egressgateway }
  servers: [{ port: { number: 443, name: tls, protocol: TLS }, hosts: [api.payments.example.com], tls: { mode: PASSTHROUGH } }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: payments-egress, namespace: shop }
spec:
  hosts: [api.payments.example.com]
  gateways: [mesh, istio-egress/egress]
  tls:
    - match: [{ gateways: [mesh], port: 443, sniHosts: [api.payments.example.com] }]
      route: [{ destination: { host: istio-egressgateway.istio-egress.svc.cluster.local } }]
`;
const sidecar = (spec: string) =>
  `apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: { name: default, namespace: shop }\nspec: ${spec}\n`;
const vs = (extra: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop }
spec:
  hosts: [web.shop.svc.cluster.local]
${extra}`;
const route = "    - route: [{ destination: { host: web.shop.svc.cluster.local } }]\n      timeout: 5s\n";

const cases: RuleCase[] = [
  {
    id: "MESH-GW-01",
    fire: { yaml: gateway("istio-ingress", https("*")), resource: "Gateway/istio-ingress/public" },
    quiet: { yaml: gateway("istio-ingress", https("shop/shop.example.com")) },
  },
  {
    id: "MESH-GW-02",
    fire: {
      yaml: gateway(
        "istio-ingress",
        "    - port: { number: 80, name: http, protocol: HTTP }\n      hosts: [shop/shop.example.com]\n",
      ),
      resource: "Gateway/istio-ingress/public",
    },
    quiet: {
      yaml: gateway(
        "istio-ingress",
        "    - port: { number: 80, name: http, protocol: HTTP }\n      hosts: [shop/shop.example.com]\n      tls: { httpsRedirect: true }\n",
      ),
    },
  },
  {
    id: "MESH-GW-03",
    fire: { yaml: gateway("shop", https("shop.example.com")), resource: "Gateway/shop/public" },
    quiet: { yaml: gateway("istio-gateways", https("shop/shop.example.com")) },
  },
  {
    id: "MESH-EGR-01",
    fire: { yaml: baselineMesh({ outboundTrafficPolicy: "" }), resource: "ConfigMap/istio-system/istio" },
    quiet: {
      yaml: sidecar('{ egress: [{ hosts: ["./*"] }], outboundTrafficPolicy: { mode: REGISTRY_ONLY } }'),
    },
  },
  {
    id: "MESH-EGR-02",
    fire: { yaml: se("wide", '["*.com"]'), resource: "ServiceEntry/shop/wide" },
    quiet: { yaml: se("payments", "[api.payments.example.com]") },
  },
  {
    id: "MESH-EGR-03",
    fire: { yaml: se("payments", "[api.payments.example.com]"), resource: "ServiceEntry/shop/payments" },
    quiet: { yaml: `${se("payments", "[api.payments.example.com]")}---\n${egress}` },
  },
  {
    id: "MESH-SC-01",
    fire: { yaml: sidecar('{ egress: [{ hosts: ["*/*"] }] }'), resource: "Namespace/shop/shop" },
    quiet: { yaml: sidecar('{ egress: [{ hosts: ["./*", "payments/*"] }] }') },
  },
  {
    id: "MESH-EXP-01",
    fire: { yaml: vs(`  exportTo: ["*"]\n  http:\n${route}`), resource: "VirtualService/shop/web" },
    quiet: { yaml: vs(`  exportTo: ["."]\n  http:\n${route}`) },
  },
  {
    id: "MESH-CORS-01",
    fire: {
      yaml: vs(
        `  http:\n${route}      corsPolicy: { allowOrigins: [{ regex: ".*" }], allowCredentials: true }\n`,
      ),
      resource: "VirtualService/shop/web",
    },
    quiet: {
      yaml: vs(
        `  http:\n${route}      corsPolicy: { allowOrigins: [{ exact: "https://shop.example.com" }], allowCredentials: true }\n`,
      ),
    },
  },
];

runCases(cases);

it("names only registered rules, so no case silently tests nothing", () => {
  expect(cases.map((c) => c.id).filter((id) => !RULES.some((r) => r.id === id))).toEqual([]);
});
