/**
 * npm run bench:collector [-- PODS]: the collector lists a generated inventory of PODS pods (default 5,000,
 * each shaped like a real one: managedFields, env, volumes, status) from the fake API server, in pages of
 * 500, and writes its uploads in dry-run. The fake server runs in a child process so its memory is not
 * counted. Prints the peak heap (sampled every 2 ms and at each progress line) and the peak RSS (the
 * kernel's maxrss, a true peak that includes the heap); fails when the heap peak reaches 256 MiB.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { main } from "../apps/collector/src/cli.js";
import { loadFixture, type Obj, startFakeApiServer } from "../apps/collector/test/support/fake-apiserver.js";

const LIMIT_MIB = 256;
const pods = Number(process.argv[3] ?? process.argv[2] ?? 5000);
const MiB = 1024 * 1024;

function generatePod(i: number): Obj {
  const ns = `team-${i % 50}`;
  const app = `svc-${i % 400}`;
  const container = (name: string, image: string) => ({
    name,
    image,
    ports: [{ containerPort: 8080, name: "http", protocol: "TCP" }],
    env: Array.from({ length: 12 }, (_, k) => ({
      name: `SETTING_${k}`,
      value: `value-${i}-${k}-${"x".repeat(24)}`,
    })),
    resources: { limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "100m", memory: "128Mi" } },
    volumeMounts: [
      { name: "kube-api-access", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", readOnly: true },
    ],
    securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    terminationMessagePath: "/dev/termination-log",
    imagePullPolicy: "IfNotPresent",
  });
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `${app}-7d9f8b6c5d-${i.toString(36).padStart(5, "0")}`,
      namespace: ns,
      uid: `00000000-0000-4000-8000-${i.toString().padStart(12, "0")}`,
      labels: { app, "pod-template-hash": "7d9f8b6c5d", "security.istio.io/tlsMode": "istio" },
      annotations: {
        "sidecar.istio.io/status": '{"initContainers":["istio-init"],"containers":["istio-proxy"]}',
        "prometheus.io/scrape": "true",
      },
      ownerReferences: [
        {
          apiVersion: "apps/v1",
          kind: "ReplicaSet",
          name: `${app}-7d9f8b6c5d`,
          uid: "5d7e0a1c-0000-4000-8000-000000000001",
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      managedFields: Array.from({ length: 3 }, (_, k) => ({
        manager: `manager-${k}`,
        operation: "Update",
        apiVersion: "v1",
        time: "2026-11-20T08:00:00Z",
        fieldsType: "FieldsV1",
        fieldsV1: {
          "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
          "f:spec": {
            "f:containers": { [`k:{"name":"app-${k}"}`]: { ".": {}, "f:image": {}, "f:env": {} } },
          },
        },
      })),
      creationTimestamp: "2026-11-20T08:00:00Z",
      resourceVersion: String(100000 + i),
    },
    spec: {
      serviceAccountName: app,
      nodeName: `node-${i % 40}`,
      initContainers: [container("istio-init", "docker.io/istio/proxyv2:1.22.3")],
      containers: [
        container("app", `registry.example.com/${app}:1.${i % 9}.0`),
        container("istio-proxy", "docker.io/istio/proxyv2:1.22.3"),
      ],
      volumes: [
        {
          name: "kube-api-access",
          projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: "token" } }] },
        },
      ],
      tolerations: [
        {
          key: "node.kubernetes.io/not-ready",
          operator: "Exists",
          effect: "NoExecute",
          tolerationSeconds: 300,
        },
      ],
    },
    status: {
      phase: "Running",
      podIP: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      conditions: ["Initialized", "Ready", "ContainersReady", "PodScheduled"].map((type) => ({
        type,
        status: "True",
        lastTransitionTime: "2026-11-20T08:00:05Z",
      })),
      containerStatuses: [
        {
          name: "app",
          ready: true,
          restartCount: 0,
          image: `registry.example.com/${app}:1.0.0`,
          imageID: `registry.example.com/${app}@sha256:${"ab".repeat(32)}`,
          state: { running: { startedAt: "2026-11-20T08:00:04Z" } },
        },
      ],
    },
  };
}

if (process.argv[2] === "--serve") {
  // child: the fake API server with the generated inventory on top of the fixture cluster
  const fixture = loadFixture(new URL("../apps/collector/test/fixtures/cluster.yaml", import.meta.url));
  const objects = [
    ...fixture,
    ...Array.from({ length: 50 }, (_, n) => ({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: `team-${n}` },
    })),
    ...Array.from({ length: pods }, (_, i) => generatePod(i)),
  ];
  const rawBytes = objects.filter((o) => o.kind === "Pod").reduce((n, o) => n + JSON.stringify(o).length, 0);
  const fake = await startFakeApiServer({ objects });
  process.stdout.write(`${JSON.stringify({ kubeconfig: fake.kubeconfigYaml(), rawBytes })}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => void fake.close().then(() => process.exit(0)));
} else {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url), "--serve", String(pods)],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const first = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout }).once("line", resolve),
  );
  const { kubeconfig, rawBytes } = JSON.parse(first) as { kubeconfig: string; rawBytes: number };
  const dir = mkdtempSync(join(tmpdir(), "bulwark-bench-collector-"));
  writeFileSync(join(dir, "kubeconfig"), kubeconfig);

  let peakHeap = 0;
  const sample = () => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  const before = process.memoryUsage();
  const timer = setInterval(sample, 2);
  const started = performance.now();
  let out = "";
  const code = await main(
    [
      "--kubeconfig",
      join(dir, "kubeconfig"),
      "--context",
      "fake",
      "--dry-run",
      "--out",
      join(dir, "uploads"),
      "--output",
      "json",
    ],
    {},
    {
      stdout: (t) => {
        out += t;
        sample();
      },
      stderr: (t) => process.stderr.write(t),
    },
    { progress: sample },
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  sample();
  child.stdin?.end();
  const summary = JSON.parse(out) as {
    uploads: { source: string; items?: number; bytes?: { json: number; body: number } }[];
    manifest: { resource: string; count: number }[];
  };
  const mesh = summary.uploads.find((u) => u.source === "mesh-config");
  const maxRss = process.resourceUsage().maxRSS * 1024;
  const lines = [
    `pods listed: ${summary.manifest.find((m) => m.resource === "pods")?.count} (pages of 500), in ${seconds.toFixed(2)} s`,
    `pods as served: ${(rawBytes / MiB).toFixed(1)} MiB of JSON; mesh-config upload: ${((mesh?.bytes?.json ?? 0) / MiB).toFixed(1)} MiB JSON, ${((mesh?.bytes?.body ?? 0) / MiB).toFixed(2)} MiB gzip, ${mesh?.items} objects`,
    `heap before: ${(before.heapUsed / MiB).toFixed(1)} MiB; peak heap: ${(peakHeap / MiB).toFixed(1)} MiB (limit ${LIMIT_MIB} MiB)`,
    `RSS before: ${(before.rss / MiB).toFixed(1)} MiB; peak RSS: ${(maxRss / MiB).toFixed(1)} MiB (the whole process: Node, tsx, the client library, the bench's own sampling)`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  rmSync(dir, { recursive: true, force: true });
  if (code !== 0) {
    process.stderr.write(`the collector exited ${code}\n`);
    process.exit(1);
  }
  if (peakHeap >= LIMIT_MIB * MiB) {
    process.stderr.write(`FAIL: peak heap ${(peakHeap / MiB).toFixed(1)} MiB ≥ ${LIMIT_MIB} MiB\n`);
    process.exit(1);
  }
}
