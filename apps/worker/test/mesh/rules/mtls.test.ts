import { expect, it } from "vitest";
import { RULES } from "../../../src/mesh/index.js";
import { baselineMesh } from "../helpers.js";
import { type RuleCase, runCases } from "./run-cases.js";

const pa = (ns: string, name: string, spec: string) =>
  `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: { name: ${name}, namespace: ${ns} }\nspec: ${spec}\n`;
const dr = (name: string, host: string, tls: string) =>
  `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: { name: ${name}, namespace: shop }\nspec:\n  host: ${host}\n  trafficPolicy: { tls: ${tls} }\n`;
const se = (ports: string, extra = "") =>
  `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: { name: payments, namespace: shop }\nspec:\n  hosts: [api.payments.example.com]\n  location: MESH_EXTERNAL\n  resolution: DNS\n  ports: ${ports}\n${extra}`;
const secret = (name: string, data = "") =>
  `apiVersion: v1\nkind: Secret\nmetadata: { name: ${name}, namespace: istio-system }\n${data}\n`;
const istiod = (env: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: istiod, namespace: istio-system, labels: { app: istiod } }
spec:
  template:
    spec:
      containers:
        - name: discovery
          image: docker.io/istio/pilot:1.24.1-distroless
          env: [{ name: ENABLE_DEBUG_ON_HTTP, value: "false" }${env}]
`;
const pod = (name: string, sa: string) => `apiVersion: v1
kind: Pod
metadata: { name: ${name}-7d9f8c6b5d-q2w4z, namespace: shop, labels: { app: ${name}, pod-template-hash: 7d9f8c6b5d } }
spec:
  serviceAccountName: ${sa}
  containers:
    - { name: app, image: "r/${name}:1", readinessProbe: {}, livenessProbe: {} }
    - { name: istio-proxy, image: "docker.io/istio/proxyv2:1.24.1-distroless" }
`;

const cases: RuleCase[] = [
  {
    id: "MESH-MTLS-01",
    fire: {
      yaml: pa("istio-system", "default", "{ mtls: { mode: PERMISSIVE } }"),
      resource: "PeerAuthentication/istio-system/default",
    },
    quiet: { yaml: pa("istio-system", "default", "{ mtls: { mode: STRICT } }") },
  },
  {
    id: "MESH-MTLS-02",
    fire: {
      yaml: pa(
        "shop",
        "legacy",
        "{ selector: { matchLabels: { app: web } }, portLevelMtls: { 9090: { mode: DISABLE } } }",
      ),
      resource: "PeerAuthentication/shop/legacy",
    },
    quiet: {
      yaml: pa("shop", "legacy", "{ selector: { matchLabels: { app: web } }, mtls: { mode: STRICT } }"),
    },
  },
  {
    id: "MESH-MTLS-03",
    fire: {
      yaml: dr("web", "web.shop.svc.cluster.local", "{ mode: DISABLE }"),
      resource: "DestinationRule/shop/web",
    },
    quiet: {
      yaml: dr("external", "api.payments.example.com", "{ mode: SIMPLE, credentialName: payments-ca }"),
    },
  },
  {
    id: "MESH-MTLS-04",
    fire: {
      yaml: se("[{ number: 80, name: http, protocol: HTTP }]"),
      resource: "ServiceEntry/shop/payments",
    },
    quiet: { yaml: se("[{ number: 443, name: tls, protocol: TLS }]") },
  },
  {
    id: "MESH-TLS-05",
    fire: {
      yaml: dr("payments", "api.payments.example.com", "{ mode: SIMPLE, insecureSkipVerify: true }"),
      resource: "DestinationRule/shop/payments",
    },
    quiet: {
      yaml: dr(
        "payments",
        "api.payments.example.com",
        "{ mode: SIMPLE, caCertificates: /etc/ca.pem, sni: api.payments.example.com }",
      ),
    },
  },
  {
    id: "MESH-TLS-06",
    fire: {
      yaml: baselineMesh({ meshMTLS: "meshMTLS: { minProtocolVersion: TLSV1_1 }" }),
      resource: "ConfigMap/istio-system/istio",
    },
    quiet: { yaml: baselineMesh({ meshMTLS: "meshMTLS: { minProtocolVersion: TLSV1_3 }" }) },
  },
  {
    id: "MESH-TLS-07",
    fire: {
      yaml: `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: istio-ingress }
spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: 443, name: https, protocol: HTTPS }
      hosts: [shop/shop.example.com]
      tls: { mode: SIMPLE, credentialName: c, minProtocolVersion: TLSV1_0, cipherSuites: [AES128-SHA] }
`,
      resource: "Gateway/istio-ingress/public",
    },
    quiet: {},
  },
  {
    id: "MESH-CA-01",
    fire: { yaml: secret("istio-ca-secret"), resource: "Secret/istio-system/istio-ca-secret" },
    quiet: {
      yaml: `${secret("istio-ca-secret")}---\n${secret("cacerts", "data: { ca-cert.pem: '', root-cert.pem: '', cert-chain.pem: '' }")}`,
    },
  },
  {
    id: "MESH-CA-02",
    fire: { yaml: secret("cacerts"), resource: "Secret/istio-system/cacerts" },
    quiet: { yaml: secret("cacerts", "data: { root-cert.pem: '', cert-chain.pem: '' }") },
  },
  {
    id: "MESH-CA-03",
    fire: {
      yaml: istiod(', { name: DEFAULT_WORKLOAD_CERT_TTL, value: "720h" }'),
      resource: "Deployment/istio-system/istiod",
    },
    quiet: {
      yaml: istiod(
        ', { name: DEFAULT_WORKLOAD_CERT_TTL, value: "720h" }, { name: MAX_WORKLOAD_CERT_TTL, value: "12h" }',
      ),
    },
  },
  {
    id: "MESH-ID-01",
    fire: {
      yaml: `${pod("cart", "shared")}---\n${pod("orders", "shared")}`,
      resource: "ServiceAccount/shop/shared",
    },
    quiet: { yaml: `${pod("cart", "cart")}---\n${pod("orders", "orders")}` },
  },
];

runCases(cases);

it("names only registered rules, so no case silently tests nothing", () => {
  expect(cases.map((c) => c.id).filter((id) => !RULES.some((r) => r.id === id))).toEqual([]);
});
