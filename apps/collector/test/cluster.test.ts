import { reportEnvelopeSchema } from "@bulwark/schema";
import { afterEach, describe, expect, it } from "vitest";
import {
  type FakeApiServer,
  type FakeClusterOptions,
  loadFixture,
  startFakeApiServer,
} from "./support/fake-apiserver.js";
import { runCli } from "./support/run-cli.js";

/**
 * The collector against an in-process API server over HTTP, through @kubernetes/client-node and a
 * kubeconfig: discovery, pagination, RBAC refusals, kinds not served, expired continue tokens.
 */
const objects = loadFixture(new URL("./fixtures/cluster.yaml", import.meta.url));
const fakes: FakeApiServer[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});
async function cluster(opts: Partial<FakeClusterOptions> = {}) {
  const fake = await startFakeApiServer({ objects, ...opts });
  fakes.push(fake);
  return fake;
}
const kinds = (items: Record<string, unknown>[]) => items.map((i) => `${i.apiVersion} ${i.kind}`);

describe("reading a cluster", () => {
  it("reads every kind through paginated lists, at the version the cluster prefers", async () => {
    const fake = await cluster();
    const r = await runCli(fake, ["--page-size", "2"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary?.uploads.map((u) => [u.source, u.status])).toEqual([
      ["trivy-operator", "written"],
      ["mesh-config", "written"],
    ]);
    const mesh = r.files["mesh-config"];
    const trivy = r.files["trivy-operator"];
    // what the server would get passes its own (strict) envelope schema
    expect(reportEnvelopeSchema.safeParse(mesh?.envelope).success).toBe(true);
    expect(reportEnvelopeSchema.safeParse(trivy?.envelope).success).toBe(true);
    expect(mesh?.envelope.scope).toBeUndefined();
    expect(mesh?.envelope.report).toMatchObject({ apiVersion: "v1", kind: "List" });
    const meshKinds = kinds(mesh?.envelope.report.items ?? []);
    expect(meshKinds.filter((k) => k === "v1 Pod")).toHaveLength(5);
    expect(meshKinds).toContain("networking.istio.io/v1alpha3 EnvoyFilter"); // served in v1alpha3 only
    expect(meshKinds).toContain("networking.istio.io/v1 Gateway");
    expect(meshKinds).toContain("security.istio.io/v1 PeerAuthentication");
    expect(meshKinds).toContain("rbac.authorization.k8s.io/v1 ClusterRoleBinding");
    expect(meshKinds).toContain("admissionregistration.k8s.io/v1 MutatingWebhookConfiguration");
    expect(meshKinds.filter((k) => k === "v1 ConfigMap")).toHaveLength(2); // istio and istio-1-22, nothing else
    expect(meshKinds.filter((k) => k === "v1 Secret")).toHaveLength(2); // istio-system only
    expect(meshKinds.some((k) => k.includes("Deployment"))).toBe(false);
    expect(kinds(trivy?.envelope.report.items ?? []).sort()).toEqual([
      "aquasecurity.github.io/v1alpha1 ClusterComplianceReport",
      "aquasecurity.github.io/v1alpha1 ClusterRbacAssessmentReport",
      "aquasecurity.github.io/v1alpha1 ConfigAuditReport",
      "aquasecurity.github.io/v1alpha1 VulnerabilityReport",
      "aquasecurity.github.io/v1alpha1 VulnerabilityReport",
    ]);
    // every list asked for a page; the big ones followed their continue tokens
    const lists = fake.requests.filter((p) =>
      /\/(pods|secrets|configmaps|roles|namespaces)(\?|$)/.test(p.split("?")[0] ?? ""),
    );
    expect(lists.every((p) => p.includes("limit=2"))).toBe(true);
    expect(
      fake.requests.filter((p) => p.startsWith("/api/v1/pods?") && p.includes("continue=")),
    ).toHaveLength(2);
    expect(
      fake.requests.some((p) => p.includes("/secrets") && !p.includes("/namespaces/istio-system/")),
    ).toBe(false);
    expect(r.summary?.manifest.every((m) => m.status === "read")).toBe(true);
    expect(r.summary?.manifest).toHaveLength(34);
  });

  it("sends Pods cut to what rules need, Secrets as metadata and key names, never a value", async () => {
    const r = await runCli(await cluster(), []);
    for (const needle of [
      "SENTINEL",
      "U0VOVElOR",
      "last-applied-configuration",
      "managedFields",
      "DB_PASSWORD",
    ]) {
      expect(r.raw).not.toContain(needle);
    }
    const items = r.files["mesh-config"]?.envelope.report.items ?? [];
    const pod = items.find((i) => (i.metadata as { name: string }).name === "payments-api-7d9f8b6c5d-abcde");
    expect(pod).toEqual({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "payments-api-7d9f8b6c5d-abcde",
        namespace: "payments",
        labels: { app: "payments-api", "pod-template-hash": "7d9f8b6c5d" },
        annotations: {
          "sidecar.istio.io/status": '{"initContainers":["istio-init"],"containers":["istio-proxy"]}',
        },
        ownerReferences: [expect.objectContaining({ kind: "ReplicaSet", name: "payments-api-7d9f8b6c5d" })],
      },
      spec: {
        serviceAccountName: "payments-api",
        initContainers: [
          expect.objectContaining({ name: "istio-init", securityContext: expect.any(Object) }),
        ],
        containers: [
          {
            name: "app",
            image: "registry.example.com/payments-api:2.4.1",
            ports: [{ containerPort: 8080, protocol: "TCP" }],
            securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false },
          },
          expect.objectContaining({ name: "istio-proxy" }),
        ],
      },
    });
    const secret = items.find(
      (i) => i.kind === "Secret" && (i.metadata as { name: string }).name === "cacerts",
    );
    expect(secret).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "cacerts", namespace: "istio-system", labels: { "istio.io/ca": "plugged" } },
      type: "Opaque",
      data: { "ca-cert.pem": "", "ca-key.pem": "", "root-cert.pem": "" },
    });
  });

  it("skips what the cluster does not serve: no Istio, no trivy-operator", async () => {
    const fake = await cluster({
      absentGroups: [
        "security.istio.io",
        "networking.istio.io",
        "telemetry.istio.io",
        "aquasecurity.github.io",
      ],
    });
    const r = await runCli(fake, []);
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary?.uploads).toEqual([
      expect.objectContaining({
        source: "trivy-operator",
        status: "skipped",
        reason: expect.stringContaining("not installed"),
      }),
      expect.objectContaining({ source: "mesh-config", status: "written" }),
    ]);
    expect(r.files["trivy-operator"]).toBeUndefined();
    // nothing of an absent kind exists, so the snapshot is still complete: no scope
    expect(r.files["mesh-config"]?.envelope.scope).toBeUndefined();
    const gw = r.summary?.manifest.find((m) => m.resource === "gateways.networking.istio.io");
    expect(gw).toMatchObject({ status: "absent", reason: "API group networking.istio.io is not served" });
  });

  it("reads a kind namespace by namespace when a cluster-wide list is forbidden, and scopes the upload", async () => {
    const fake = await cluster({
      forbidden: {
        pods: ["payments", "web"],
        "clusterroles.rbac.authorization.k8s.io": [],
        "vulnerabilityreports.aquasecurity.github.io": [],
      },
    });
    const r = await runCli(fake, []);
    const pods = r.summary?.manifest.find((m) => m.resource === "pods");
    expect(pods).toMatchObject({ status: "partial", count: 4, namespaces: ["payments", "web"] });
    expect(
      r.summary?.manifest.find((m) => m.resource === "clusterroles.rbac.authorization.k8s.io"),
    ).toMatchObject({
      status: "forbidden",
      reason: expect.stringContaining("403"),
    });
    // pods seen only in payments and web: findings elsewhere (and cluster-scoped ones) must not resolve
    expect(r.files["mesh-config"]?.envelope.scope).toEqual({ namespaces: ["payments", "web"] });
    // VulnerabilityReports readable nowhere: no trivy-operator snapshot can be honest, so none is sent
    expect(r.code).toBe(1);
    expect(r.files["trivy-operator"]).toBeUndefined();
    expect(r.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^bulwark-collector: upload trivy-operator failed: no namespace could be read in full.*vulnerabilityreports/,
      ),
    ]);
  });

  it("scopes to the namespaces asked for with --namespace", async () => {
    const fake = await cluster();
    const r = await runCli(fake, ["--namespace", "web"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.files["mesh-config"]?.envelope.scope).toEqual({ namespaces: ["web"] });
    expect(fake.requests.some((p) => p.startsWith("/api/v1/pods"))).toBe(false);
    expect(fake.requests).toContain("/api/v1/namespaces/web/pods?limit=500");
  });

  it("restarts a list whose continue token expired (410), then falls back to one unpaginated list", async () => {
    const once = await cluster({ expireContinue: { pods: 1 } });
    const r1 = await runCli(once, ["--page-size", "2"]);
    expect(r1.summary?.manifest.find((m) => m.resource === "pods")).toMatchObject({
      status: "read",
      count: 5,
      restarts: 1,
    });
    const names = (r1.files["mesh-config"]?.envelope.report.items ?? [])
      .filter((i) => i.kind === "Pod")
      .map((i) => (i.metadata as { name: string }).name);
    expect(new Set(names).size).toBe(5);

    const twice = await cluster({ expireContinue: { pods: 2 } });
    const r2 = await runCli(twice, ["--page-size", "2"]);
    expect(r2.summary?.manifest.find((m) => m.resource === "pods")).toMatchObject({
      status: "read",
      count: 5,
      restarts: 2,
    });
    expect(twice.requests).toContain("/api/v1/pods");
  });

  it("fails the cluster uploads with a reason when the API server is unreachable, and still sends files", async () => {
    const fake = await cluster();
    await fake.close();
    fakes.pop();
    const r = await runCli(fake, ["--file", "kube-bench=samples/kube-bench.json"]);
    expect(r.code).toBe(1);
    expect(r.summary?.uploads.map((u) => [u.source, u.status])).toEqual([
      ["trivy-operator", "failed"],
      ["mesh-config", "failed"],
      ["kube-bench", "written"],
    ]);
    expect(r.stderr).toMatch(
      /upload mesh-config failed: cluster unreachable: discovery failed: .*ECONNREFUSED/,
    );
  });
});
