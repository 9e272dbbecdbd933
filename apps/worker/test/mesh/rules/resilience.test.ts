import { expect, it } from "vitest";
import { RULES } from "../../../src/mesh/index.js";
import { type RuleCase, runCases } from "./run-cases.js";

const dr = (policy: string) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: web, namespace: shop }
spec:
  host: web.shop.svc.cluster.local
  trafficPolicy: ${policy}
`;
const meshDefault = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: mesh-default, namespace: istio-system }
spec:
  host: "*.svc.cluster.local"
  trafficPolicy:
    outlierDetection: { consecutive5xxErrors: 5 }
    connectionPool: { tcp: { maxConnections: 1000 } }
`;
const vs = (http: string) =>
  `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: web, namespace: shop }\nspec:\n  hosts: [web.shop.svc.cluster.local]\n  http:\n${http}`;
const route = "    - route: [{ destination: { host: web.shop.svc.cluster.local } }]\n";
const podWithoutProbes = `apiVersion: v1
kind: Pod
metadata: { name: web-7d9f8c6b5d-x2x4z, namespace: shop, labels: { app: web, pod-template-hash: 7d9f8c6b5d } }
spec:
  serviceAccountName: web
  containers:
    - { name: app, image: "registry.example.com/web:2.1.0" }
    - { name: istio-proxy, image: "docker.io/istio/proxyv2:1.24.1-distroless" }
`;
const cronPod = `apiVersion: v1
kind: Pod
metadata: { name: nightly-29000000-abcde, namespace: shop, labels: { job-name: nightly-29000000 } }
spec:
  serviceAccountName: nightly
  containers:
    - { name: job, image: "registry.example.com/nightly:1" }
    - { name: istio-proxy, image: "docker.io/istio/proxyv2:1.24.1-distroless" }
`;

const cases: RuleCase[] = [
  {
    id: "MESH-CB-01",
    fire: {
      yaml: dr("{ tls: { mode: ISTIO_MUTUAL }, connectionPool: { tcp: { maxConnections: 10 } } }"),
      resource: "Namespace/shop/shop",
    },
    quiet: { yaml: `${dr("{ tls: { mode: ISTIO_MUTUAL } }")}---\n${meshDefault}` },
  },
  {
    id: "MESH-CB-02",
    fire: { yaml: dr("{ outlierDetection: { consecutive5xxErrors: 3 } }"), resource: "Namespace/shop/shop" },
    quiet: { yaml: `${dr("{ outlierDetection: { consecutive5xxErrors: 3 } }")}---\n${meshDefault}` },
  },
  {
    id: "MESH-RT-01",
    fire: { yaml: vs(`${route}      retries: { attempts: 10 }\n`), resource: "VirtualService/shop/web" },
    quiet: { yaml: vs(`${route}      timeout: 3s\n      retries: { attempts: 3, perTryTimeout: 1s }\n`) },
  },
  {
    id: "MESH-RL-01",
    fire: {
      without: ["EnvoyFilter/istio-system/ingress-limits"],
      resource: "Deployment/istio-ingress/istio-ingressgateway",
    },
    quiet: {},
  },
  {
    id: "MESH-RL-02",
    fire: {
      without: ["EnvoyFilter/istio-system/ingress-limits"],
      yaml: `apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: { name: ratelimit-only, namespace: istio-system }
spec:
  workloadSelector: { labels: { istio: ingressgateway } }
  configPatches:
    - { applyTo: HTTP_FILTER, match: { context: GATEWAY }, patch: { operation: INSERT_BEFORE, value: { name: envoy.filters.http.local_ratelimit } } }
`,
      resource: "Deployment/istio-ingress/istio-ingressgateway",
    },
    quiet: {},
  },
  {
    id: "MESH-LB-01",
    fire: {
      yaml: dr("{ loadBalancer: { consistentHash: { httpCookie: { name: session, ttl: 0s } } } }"),
      resource: "DestinationRule/shop/web",
    },
    quiet: { yaml: dr("{ loadBalancer: { consistentHash: { useSourceIp: true } } }") },
  },
  {
    id: "K8S-PROBE-01",
    fire: { yaml: podWithoutProbes, resource: "Deployment/shop/web" },
    quiet: { yaml: cronPod },
  },
];

runCases(cases);

it("names only registered rules, so no case silently tests nothing", () => {
  expect(cases.map((c) => c.id).filter((id) => !RULES.some((r) => r.id === id))).toEqual([]);
});
