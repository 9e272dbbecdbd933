import { fingerprint } from "@bulwark/schema";
import { describe, expect, it } from "vitest";
import { analyzeMesh, parseMeshConfig } from "../../src/mesh/index.js";
import { ReportParseError } from "../../src/parsers/types.js";
import { HARDENED, mesh, resourcesOf, toList } from "./helpers.js";

const ctx = { source: "mesh-config" as const, collectedAt: new Date() };
const PA =
  "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: { name: default, namespace: shop }\nspec: { mtls: { mode: DISABLE } }\n";
const NS = "apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n";
const POD = `apiVersion: v1
kind: Pod
metadata: { name: web-7d9f8c6b5d-x2x4z, namespace: shop, labels: { app: web, pod-template-hash: 7d9f8c6b5d } }
spec: { containers: [{ name: app, image: r/web:1 }] }
`;

describe("parseMeshConfig input shapes", () => {
  const ids = (report: unknown) =>
    parseMeshConfig(report, ctx)
      .findings.map((f) => `${f.ruleId} ${f.resource.name}`)
      .sort();
  const list = toList(PA);
  it("accepts a List, a bare array, a single object and nested Lists alike", () => {
    const expected = ids(list);
    expect(expected).toContain("MESH-MTLS-02 default");
    expect(ids(list.items)).toEqual(expected);
    expect(ids(list.items[0])).toEqual(expected);
    expect(ids({ kind: "List", items: [{ kind: "PeerAuthenticationList", items: list.items }] })).toEqual(
      expected,
    );
  });

  it("rejects what is not a List or an object, naming the path", () => {
    expect(() => parseMeshConfig("nope", ctx)).toThrow(ReportParseError);
    expect(() => parseMeshConfig({ kind: "List", items: "x" }, ctx)).toThrow("$.items");
    expect(() => parseMeshConfig({ items: [42] }, ctx)).toThrow("$.items[0]");
  });

  it("reads the mesh config from the ConfigMap's YAML string, and reports a broken one as a warning", () => {
    const r = analyzeMesh(toList(HARDENED));
    expect(r.meta.mesh).toMatchObject({
      present: true,
      meshConfig: "ConfigMap/istio-system/istio",
      rootNamespace: "istio-system",
      version: "1.24.1",
    });
    const broken = analyzeMesh(
      toList(
        `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: istio, namespace: istio-system }\ndata: { mesh: "a: [" }\n---\n${PA}`,
      ),
    );
    expect(broken.meta.warnings).toEqual([expect.stringContaining("data.mesh is not valid YAML")]);
    expect(broken.meta.mesh).toMatchObject({ meshConfig: null });
  });
});

describe("missing inputs are not violations", () => {
  it("reports the mesh absent and raises no mesh rule when the List holds no Istio object", () => {
    const r = analyzeMesh(toList(`${NS}---\n${POD}`));
    expect(r.meta.mesh).toMatchObject({ present: false, evidence: [] });
    expect(r.findings.filter((f) => f.ruleId.startsWith("MESH-"))).toEqual([]);
    // Kubernetes-level rules do not depend on Istio and still run
    expect(r.findings.map((f) => f.ruleId).sort()).toEqual(["K8S-NP-01", "K8S-PROBE-01"]);
    const notEvaluated = (r.meta.rules as { notEvaluated: { id: string; missing: string[] }[] }).notEvaluated;
    expect(notEvaluated).toContainEqual({ id: "MESH-MTLS-01", missing: ["istio"] });
    expect(r.coverage).toMatchObject({
      meshPresent: false,
      workloads: 1,
      meshed: { count: 0, total: 1, share: 0 },
    });
  });

  it("lists rules whose input is absent as not evaluated (no mesh config, no secrets, no RBAC)", () => {
    const r = analyzeMesh(toList(PA));
    const notEvaluated = (r.meta.rules as { notEvaluated: { id: string; missing: string[] }[] }).notEvaluated;
    expect(notEvaluated).toContainEqual({ id: "MESH-TLS-06", missing: ["meshConfig"] });
    expect(notEvaluated).toContainEqual({ id: "MESH-CA-01", missing: ["istioSecrets"] });
    expect(notEvaluated).toContainEqual({ id: "MESH-RBAC-01", missing: ["rbac"] });
    expect(r.findings.map((f) => f.ruleId)).not.toContain("MESH-TLS-06");
    // Sidecar overrides are still checked; the mesh-wide part of the rule waits for the mesh config
    const partial = (r.meta.rules as { partial: { id: string }[] }).partial.map((p) => p.id);
    expect(partial).toContain("MESH-EGR-01");
  });
});

describe("findings", () => {
  it("name workloads by owner and keep their fingerprint across rollouts", () => {
    const optOut = (pod: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${pod}
  namespace: shop
  labels: { app: cart, pod-template-hash: ${pod.split("-")[1]} }
  annotations: { sidecar.istio.io/inject: "false" }
spec: { serviceAccountName: cart, containers: [{ name: app, image: r/cart:1, readinessProbe: {}, livenessProbe: {} }] }
`;
    const a = mesh(optOut("cart-5f6b7c8d9b-k2m4p")).findings.find((f) => f.ruleId === "MESH-COV-02");
    const b = mesh(optOut("cart-7c8d9b5f6b-q9w8z")).findings.find((f) => f.ruleId === "MESH-COV-02");
    expect(a?.resource).toMatchObject({ kind: "Deployment", namespace: "shop", name: "cart" });
    expect(a && b && fingerprint("mesh-config", a)).toBe(b && fingerprint("mesh-config", b));
  });

  it("list the affected workloads in details, not in the identity", () => {
    const r = mesh("", ["PeerAuthentication/istio-system/default"]);
    const f = r.findings.find((x) => x.ruleId === "MESH-MTLS-01");
    expect(f?.details).toMatchObject({ affectedCount: 1, affectedWorkloads: ["Deployment/shop/web"] });
    expect(f?.identity).toEqual([]);
    expect(f?.taxonomy).toMatchObject({ category: "PROT", strategy: "PROT-MTLS", mapped: true });
  });

  it("report the managed-mesh policy bundle in meta", () => {
    expect(mesh().meta.bundle).toEqual(
      [
        "mesh-strict-mtls",
        "no-weaker-peer-authentication",
        "mesh-default-deny",
        "safe-authorization-patterns",
        "sidecar-always-injected",
      ].map((constraint) => expect.objectContaining({ constraint, status: "pass" })),
    );
    const failing = mesh(PA).meta.bundle as { constraint: string; status: string }[];
    expect(failing.find((b) => b.constraint === "no-weaker-peer-authentication")?.status).toBe("fail");
  });
});

describe("ambient mode", () => {
  const ambient = `apiVersion: v1
kind: Namespace
metadata: { name: edge, labels: { istio.io/dataplane-mode: ambient } }
---
apiVersion: v1
kind: Pod
metadata: { name: api-6d8f7c9b5d-x7k2p, namespace: edge, labels: { app: api, pod-template-hash: 6d8f7c9b5d } }
spec: { serviceAccountName: api, containers: [{ name: app, image: r/api:1, readinessProbe: {}, livenessProbe: {} }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: edge }
spec: { podSelector: {}, policyTypes: [Ingress] }
`;
  it("is not reported as uninjected and sidecar-only rules leave it alone", () => {
    const r = mesh(ambient);
    for (const id of ["MESH-COV-01", "MESH-COV-02", "MESH-SC-01", "MESH-COV-03", "MESH-CB-01"])
      expect(resourcesOf(r, id)).toEqual([]);
    expect(r.coverage.meshed).toMatchObject({ count: 2, total: 2, sidecar: 1, ambient: 1 });
    // PeerAuthentication and AuthorizationPolicy still apply to ambient workloads
    expect(r.coverage.mtlsStrict).toMatchObject({ count: 2, total: 2 });
  });
});

describe("coverage facts", () => {
  it("counts the workloads behind each share", () => {
    const extra = `apiVersion: v1
kind: Pod
metadata: { name: cart-5f6b7c8d9b-k2m4p, namespace: shop, labels: { app: cart, pod-template-hash: 5f6b7c8d9b } }
spec: { serviceAccountName: cart, containers: [{ name: app, image: r/cart:1 }, { name: istio-proxy, image: "docker.io/istio/proxyv2:1.24.1-distroless" }] }
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: cart, namespace: shop }
spec: { selector: { matchLabels: { app: cart } }, portLevelMtls: { 8080: { mode: PERMISSIVE } } }
`;
    const { coverage } = mesh(extra, ["AuthorizationPolicy/istio-system/allow-nothing"]);
    expect(coverage).toEqual({
      version: 1,
      meshPresent: true,
      workloads: 2,
      namespaces: 1,
      mtlsStrict: { count: 1, total: 2, share: 0.5 },
      authorized: { count: 1, total: 2, share: 0.5, withAllowPolicy: 1, underDefaultDeny: 0 },
      meshed: { count: 2, total: 2, share: 1, sidecar: 2, ambient: 0 },
      endUserAuth: { count: 1, total: 1, share: 1 },
    });
  });
});
