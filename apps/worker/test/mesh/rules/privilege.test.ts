import { describe, expect, it } from "vitest";
import { RULES } from "../../../src/mesh/index.js";
import { type RuleCase, runCases } from "./run-cases.js";

const role = (name: string, rules: string) =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: { name: ${name} }\nrules:\n${rules}\n`;
const binding = (
  kind: "RoleBinding" | "ClusterRoleBinding",
  name: string,
  roleName: string,
  subject: string,
  ns = "shop",
  labels = "",
) =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata: { name: ${name}${kind === "RoleBinding" ? `, namespace: ${ns}` : ""}${labels} }\n` +
  `roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${roleName} }\nsubjects: [${subject}]\n`;
const devs = "{ kind: Group, apiGroup: rbac.authorization.k8s.io, name: shop-developers }";
const platformSa = "{ kind: ServiceAccount, name: istio-operator, namespace: istio-system }";
const secPolicy =
  "  - { apiGroups: [security.istio.io], resources: [authorizationpolicies], verbs: [create, update, patch] }";
const edge = "  - { apiGroups: [networking.istio.io], resources: [gateways, serviceentries], verbs: ['*'] }";
const controlPlane = "  - { apiGroups: [''], resources: [secrets], verbs: [get, list] }";
const pod = (init: string, proxyImage: string) => `apiVersion: v1
kind: Pod
metadata: { name: web-7d9f8c6b5d-x2x4z, namespace: shop, labels: { app: web, pod-template-hash: 7d9f8c6b5d } }
spec:
  serviceAccountName: web
  initContainers: [${init}]
  containers:
    - { name: app, image: "registry.example.com/web:2.1.0", readinessProbe: {}, livenessProbe: {} }
    - { name: istio-proxy, image: "${proxyImage}" }
`;
const alpha = (version: string) =>
  `apiVersion: networking.istio.io/${version}\nkind: Sidecar\nmetadata: { name: default, namespace: shop }\nspec: { egress: [{ hosts: ["./*", "istio-system/*"] }] }\n`;

const cases: RuleCase[] = [
  {
    id: "MESH-RBAC-01",
    fire: {
      yaml: `${role("sec-editor", secPolicy)}---\n${binding("RoleBinding", "devs-sec", "sec-editor", devs)}`,
      resource: "RoleBinding/shop/devs-sec",
    },
    quiet: {
      yaml: `${role("sec-editor", secPolicy)}---\n${binding("ClusterRoleBinding", "operator-sec", "sec-editor", platformSa)}`,
    },
  },
  {
    id: "MESH-RBAC-02",
    fire: {
      yaml: `${role("edge-editor", edge)}---\n${binding("ClusterRoleBinding", "devs-edge", "edge-editor", devs)}`,
      resource: "ClusterRoleBinding/devs-edge",
    },
    quiet: {
      yaml: `${role("edge-editor", edge)}---\n${binding("ClusterRoleBinding", "devs-edge", "edge-editor", devs, "", ", labels: { bulwark.dev/platform: 'true' }")}`,
    },
  },
  {
    id: "MESH-RBAC-03",
    fire: {
      yaml: `${role("secret-reader", controlPlane)}---\n${binding("RoleBinding", "devs-secrets", "secret-reader", devs, "istio-system")}`,
      resource: "RoleBinding/istio-system/devs-secrets",
    },
    // the same rights confined to the team's own namespace do not reach the control plane
    quiet: {
      yaml: `${role("secret-reader", controlPlane)}---\n${binding("RoleBinding", "devs-secrets", "secret-reader", devs, "shop")}`,
    },
  },
  {
    id: "MESH-IMG-01",
    fire: { yaml: pod("", "docker.io/istio/proxyv2:1.24.1"), resource: "Deployment/istio-system/istiod" },
    quiet: { yaml: pod("", "docker.io/istio/proxyv2:1.24.1-distroless") },
  },
  {
    id: "MESH-CNI-01",
    fire: {
      yaml: pod(
        "{ name: istio-init, image: 'docker.io/istio/proxyv2:1.24.1-distroless' }",
        "docker.io/istio/proxyv2:1.24.1-distroless",
      ),
      resource: "Deployment/istio-system/istiod",
    },
    quiet: {
      yaml: pod(
        "{ name: istio-validation, image: 'docker.io/istio/proxyv2:1.24.1-distroless' }",
        "docker.io/istio/proxyv2:1.24.1-distroless",
      ),
    },
  },
  {
    id: "MESH-ALPHA-01",
    fire: { yaml: alpha("v1alpha3"), resource: "Sidecar/shop/default" },
    quiet: { yaml: alpha("v1") },
  },
];

runCases(cases);

describe("rule registry", () => {
  it("has unique ids in the MESH-/K8S- namespace, each with remediation, rationale and NIST references", () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^(MESH|K8S)-[A-Z]+-\d{2}$/);
      expect(r.rationale.length).toBeGreaterThan(40);
      expect(r.remediation.length).toBeGreaterThan(20);
      expect(r.nist.length).toBeGreaterThan(0);
      for (const n of r.nist)
        expect(n).toMatch(/^SP 800-204[A-D]? (MS-SS-\d+|SM-DR\d+|[A-Z]{3,5}-SR-\d+|§\d+(\.\d+)*)$/);
    }
  });
});
