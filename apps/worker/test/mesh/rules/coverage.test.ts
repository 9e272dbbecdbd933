import { expect, it } from "vitest";
import { RULES } from "../../../src/mesh/index.js";
import { type RuleCase, runCases } from "./run-cases.js";

const ns = (name: string, labels: string) =>
  `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${name}, labels: ${labels} }\n`;
/** A pod of Deployment `name` in `ns`; `proxy` adds istio-proxy. */
const pod = (o: {
  name: string;
  ns?: string;
  proxy?: boolean;
  meta?: string;
  spec?: string;
  app?: string;
}) => `apiVersion: v1
kind: Pod
metadata:
  name: ${o.name}-5f6b7c8d9b-k2m4p
  namespace: ${o.ns ?? "shop"}
  labels: { app: ${o.name}, pod-template-hash: 5f6b7c8d9b }
${o.meta ?? ""}spec:
  serviceAccountName: ${o.name}
${o.spec ?? ""}  containers:
    - name: app
      image: r/${o.name}:1
      readinessProbe: {}
      livenessProbe: {}
${o.app ?? ""}${o.proxy ? "    - { name: istio-proxy, image: docker.io/istio/proxyv2:1.24.1-distroless }\n" : ""}`;
const istiodSvc = (ports: string) =>
  `apiVersion: v1\nkind: Service\nmetadata: { name: istiod, namespace: istio-system }\nspec: { selector: { app: istiod }, ports: ${ports} }\n`;
const svc = (type: string) =>
  `apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: shop }\nspec: { type: ${type}, selector: { app: web }, ports: [{ name: http, port: 80 }] }\n`;

const cases: RuleCase[] = [
  {
    id: "MESH-COV-01",
    fire: {
      yaml: `${ns("batch", "{ istio-injection: disabled }")}---\n${pod({ name: "report", ns: "batch" })}`,
      resource: "Namespace/batch/batch",
    },
    quiet: {
      yaml: `${ns("batch", "{ istio.io/dataplane-mode: ambient }")}---\n${pod({ name: "report", ns: "batch" })}`,
    },
  },
  {
    id: "MESH-COV-02",
    fire: {
      yaml: pod({ name: "cart", meta: '  annotations: { sidecar.istio.io/inject: "false" }\n' }),
      resource: "Deployment/shop/cart",
    },
    quiet: { yaml: pod({ name: "cart", proxy: true }) },
  },
  {
    id: "MESH-COV-03",
    fire: {
      yaml: pod({
        name: "cart",
        proxy: true,
        meta: '  annotations: { traffic.sidecar.istio.io/excludeInboundPorts: "8081,15020" }\n',
      }),
      resource: "Deployment/shop/cart",
    },
    quiet: {
      yaml: pod({
        name: "cart",
        proxy: true,
        meta: '  annotations: { traffic.sidecar.istio.io/excludeInboundPorts: "15020", traffic.sidecar.istio.io/includeOutboundIPRanges: "*" }\n',
      }),
    },
  },
  {
    id: "MESH-COV-04",
    fire: { yaml: pod({ name: "agent", spec: "  hostNetwork: true\n" }), resource: "Deployment/shop/agent" },
    quiet: { yaml: pod({ name: "agent", proxy: true, spec: "  hostNetwork: false\n" }) },
  },
  {
    id: "MESH-COV-05",
    fire: {
      yaml: pod({ name: "web", proxy: true }).replace(
        "proxyv2:1.24.1-distroless",
        "proxyv2:1.22.0-distroless",
      ),
      resource: "Deployment/shop/web",
    },
    quiet: { yaml: pod({ name: "web", proxy: true }) },
  },
  {
    id: "MESH-COV-06",
    fire: {
      yaml: pod({ name: "cart", proxy: true, spec: "  securityContext: { runAsUser: 1337 }\n" }),
      resource: "Deployment/shop/cart",
    },
    quiet: { yaml: pod({ name: "cart", proxy: true, spec: "  securityContext: { runAsUser: 10001 }\n" }) },
  },
  {
    id: "K8S-NP-01",
    fire: { without: ["NetworkPolicy/shop/default-deny"], resource: "Namespace/shop/shop" },
    quiet: {
      without: ["NetworkPolicy/shop/default-deny"],
      yaml: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny-in, namespace: shop }\nspec: { podSelector: {}, ingress: [] }\n",
    },
  },
  {
    id: "K8S-SVC-01",
    fire: { yaml: svc("NodePort"), resource: "Service/shop/web" },
    quiet: { yaml: svc("ClusterIP") },
  },
  {
    id: "MESH-PORT-01",
    fire: {
      yaml: istiodSvc("[{ name: grpc-xds, port: 15010 }, { name: grpc-xds-tls, port: 15012 }]"),
      resource: "Deployment/istio-system/istiod",
    },
    quiet: { yaml: istiodSvc("[{ name: grpc-xds-tls, port: 15012 }]") },
  },
];

runCases(cases);

it("names only registered rules, so no case silently tests nothing", () => {
  expect(cases.map((c) => c.id).filter((id) => !RULES.some((r) => r.id === id))).toEqual([]);
});
