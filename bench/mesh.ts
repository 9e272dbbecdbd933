/**
 * npm run bench:mesh [-- WORKLOADS NAMESPACES]: analysis time of the mesh rule engine on a generated mesh
 * (default 2,000 workloads, 2 Pods each, in 200 namespaces) with realistic policy counts: per namespace a
 * PeerAuthentication, a default deny, one ALLOW per workload, a path DENY, a RequestAuthentication and its
 * requiring policy, a Sidecar, DestinationRules and VirtualServices per service, ServiceEntries, a
 * NetworkPolicy and RBAC; mesh-wide config, Telemetry, gateways and EnvoyFilters. Pure CPU: no database.
 * Prints the median and best of several runs; the target is ≤ 2 s.
 */
import { analyzeMesh } from "../apps/worker/src/mesh/index.js";

const WORKLOADS = Number(process.argv[2] ?? 2000);
const NAMESPACES = Number(process.argv[3] ?? 200);
const RUNS = 5;
const say = (m: string) => process.stdout.write(`${m}\n`);
type Obj = Record<string, unknown>;
const HASH = "7d9f8c6b5d";
const SUFFIX = ["x2x4z", "q9w8z", "k2m4p", "b7n5v", "t6r4d"];

function meta(kind: string, ns: string | null, name: string, extra: Obj = {}): Obj {
  const apiVersion =
    {
      PeerAuthentication: "security.istio.io/v1",
      AuthorizationPolicy: "security.istio.io/v1",
      RequestAuthentication: "security.istio.io/v1",
      Sidecar: "networking.istio.io/v1",
      DestinationRule: "networking.istio.io/v1",
      VirtualService: "networking.istio.io/v1",
      ServiceEntry: "networking.istio.io/v1",
      Gateway: "networking.istio.io/v1",
      EnvoyFilter: "networking.istio.io/v1alpha3",
      Telemetry: "telemetry.istio.io/v1",
      NetworkPolicy: "networking.k8s.io/v1",
      Role: "rbac.authorization.k8s.io/v1",
      RoleBinding: "rbac.authorization.k8s.io/v1",
      ClusterRole: "rbac.authorization.k8s.io/v1",
      Deployment: "apps/v1",
    }[kind] ?? "v1";
  return { apiVersion, kind, metadata: { name, ...(ns ? { namespace: ns } : {}), ...extra } };
}

export function generateMesh(workloads: number, namespaces: number): Obj[] {
  const items: Obj[] = [
    {
      ...meta("ConfigMap", "istio-system", "istio"),
      data: {
        mesh: "outboundTrafficPolicy: { mode: REGISTRY_ONLY }\naccessLogFile: /dev/stdout\ndefaultProviders: { metrics: [prometheus] }\n",
      },
    },
    meta("Namespace", null, "istio-system"),
    {
      ...meta("Deployment", "istio-system", "istiod", { labels: { app: "istiod" } }),
      spec: {
        template: {
          spec: { containers: [{ name: "discovery", image: "docker.io/istio/pilot:1.24.1-distroless" }] },
        },
      },
    },
    { ...meta("PeerAuthentication", "istio-system", "default"), spec: { mtls: { mode: "STRICT" } } },
    { ...meta("AuthorizationPolicy", "istio-system", "allow-nothing"), spec: {} },
    {
      ...meta("Sidecar", "istio-system", "default"),
      spec: { egress: [{ hosts: ["./*", "istio-system/*"] }] },
    },
    {
      ...meta("Telemetry", "istio-system", "mesh-default"),
      spec: { tracing: [{ providers: [{ name: "otel" }], randomSamplingPercentage: 1 }] },
    },
    { ...meta("Namespace", null, "istio-ingress", { labels: { "istio-injection": "enabled" } }) },
    {
      ...meta("EnvoyFilter", "istio-system", "ingress-ratelimit"),
      spec: {
        workloadSelector: { labels: { istio: "ingressgateway" } },
        configPatches: [
          {
            applyTo: "HTTP_FILTER",
            match: { context: "GATEWAY" },
            patch: { operation: "INSERT_BEFORE", value: { name: "envoy.filters.http.local_ratelimit" } },
          },
        ],
      },
    },
    {
      ...meta("ClusterRole", null, "mesh-editor"),
      rules: [
        {
          apiGroups: ["networking.istio.io"],
          resources: ["virtualservices", "destinationrules"],
          verbs: ["*"],
        },
      ],
    },
  ];
  for (let g = 0; g < 5; g++) {
    items.push({
      ...meta("Gateway", "istio-ingress", `public-${g}`),
      spec: {
        selector: { istio: "ingressgateway" },
        servers: [
          {
            port: { number: 443, name: "https", protocol: "HTTPS" },
            hosts: [`ns-${g}/app${g}.example.com`],
            tls: { mode: "SIMPLE", credentialName: `cert-${g}` },
          },
        ],
      },
    });
  }
  const perNs = Math.ceil(workloads / namespaces);
  let made = 0;
  for (let n = 0; n < namespaces; n++) {
    const ns = `ns-${n}`;
    const ambient = n % 20 === 19;
    items.push(
      meta("Namespace", null, ns, {
        labels: ambient
          ? { "istio.io/dataplane-mode": "ambient" }
          : { "istio-injection": n % 50 === 49 ? "disabled" : "enabled" },
      }),
    );
    items.push({
      ...meta("PeerAuthentication", ns, "default"),
      spec: { mtls: { mode: n % 10 === 3 ? "PERMISSIVE" : "STRICT" } },
    });
    items.push({
      ...meta("AuthorizationPolicy", ns, "deny-admin"),
      spec: { action: "DENY", rules: [{ to: [{ operation: { paths: ["/admin/*"] } }] }] },
    });
    items.push({
      ...meta("RequestAuthentication", ns, "jwt"),
      spec: { selector: { matchLabels: { app: "w0" } }, jwtRules: [{ issuer: "https://idp.example.com" }] },
    });
    items.push({
      ...meta("AuthorizationPolicy", ns, "require-jwt"),
      spec: {
        selector: { matchLabels: { app: "w0" } },
        action: "DENY",
        rules: [{ from: [{ source: { notRequestPrincipals: ["*"] } }] }],
      },
    });
    items.push({
      ...meta("Sidecar", ns, "default"),
      spec: { egress: [{ hosts: ["./*", "istio-system/*"] }] },
    });
    items.push({
      ...meta("NetworkPolicy", ns, "default-deny"),
      spec: { podSelector: {}, policyTypes: ["Ingress"] },
    });
    items.push({
      ...meta("RoleBinding", ns, "devs"),
      roleRef: { kind: "ClusterRole", name: "mesh-editor" },
      subjects: [{ kind: "Group", name: `team-${n}` }],
    });
    for (let s = 0; s < 2; s++) {
      items.push({
        ...meta("ServiceEntry", ns, `ext-${s}`),
        spec: {
          hosts: [`api${s}.partner${n}.example.com`],
          location: "MESH_EXTERNAL",
          resolution: "DNS",
          ports: [{ number: 443, name: "tls", protocol: "TLS" }],
          exportTo: ["."],
        },
      });
    }
    for (let w = 0; w < perNs && made < workloads; w++, made++) {
      const app = `w${w}`;
      const host = `${app}.${ns}.svc.cluster.local`;
      for (let p = 0; p < 2; p++) {
        items.push({
          ...meta("Pod", ns, `${app}-${HASH}-${SUFFIX[p]}`, {
            labels: { app, "pod-template-hash": HASH },
            ownerReferences: [{ kind: "ReplicaSet", name: `${app}-${HASH}`, controller: true }],
          }),
          spec: {
            serviceAccountName: app,
            containers: [
              {
                name: "app",
                image: `registry.example.com/${app}:1.0`,
                readinessProbe: {},
                livenessProbe: w % 7 === 0 ? undefined : {},
              },
              ...(ambient
                ? []
                : [
                    {
                      name: "istio-proxy",
                      image: `docker.io/istio/proxyv2:${w % 13 === 0 ? "1.23.2" : "1.24.1"}-distroless`,
                    },
                  ]),
            ],
          },
        });
      }
      items.push({
        ...meta("Service", ns, app),
        spec: { selector: { app }, ports: [{ name: "http", port: 80 }] },
      });
      items.push({
        ...meta("AuthorizationPolicy", ns, app),
        spec: {
          selector: { matchLabels: { app } },
          rules: [
            {
              from: [{ source: { principals: [`cluster.local/ns/${ns}/sa/w${(w + 1) % perNs}`] } }],
              to: [{ operation: { methods: ["GET"] } }],
            },
          ],
        },
      });
      items.push({
        ...meta("DestinationRule", ns, app),
        spec: {
          host,
          trafficPolicy: {
            outlierDetection: { consecutive5xxErrors: 5 },
            ...(w % 3 ? { connectionPool: { tcp: { maxConnections: 100 } } } : {}),
          },
        },
      });
      items.push({
        ...meta("VirtualService", ns, app),
        spec: {
          hosts: [host],
          http: [{ route: [{ destination: { host } }], ...(w % 4 ? { timeout: "5s" } : {}) }],
        },
      });
    }
  }
  return items;
}

const list = { apiVersion: "v1", kind: "List", items: generateMesh(WORKLOADS, NAMESPACES) };
const json = JSON.stringify(list);
say(
  `generated a mesh of ${WORKLOADS} workloads in ${NAMESPACES} namespaces: ${list.items.length} objects, ${(json.length / 1e6).toFixed(1)} MB of JSON`,
);
const times: number[] = [];
let last: ReturnType<typeof analyzeMesh> | null = null;
for (let i = 0; i < RUNS; i++) {
  // each run starts from freshly parsed JSON, as the worker does
  const report = JSON.parse(json) as unknown;
  const t0 = performance.now();
  last = analyzeMesh(report);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] ?? 0;
const best = times[0] ?? 0;
const fired = (last?.meta.rules as { fired?: Record<string, number> } | undefined)?.fired ?? {};
const byRule = Object.entries(fired)
  .map(([k, v]) => `${k}=${v}`)
  .join(" ");
say(`findings: ${last?.findings.length} (${byRule})`);
say(`coverage: ${JSON.stringify(last?.coverage)}`);
say(
  `analysis: median ${median.toFixed(0)} ms, best ${best.toFixed(0)} ms over ${RUNS} runs (target ≤ 2000 ms: ${median <= 2000 ? "met" : "MISSED"})`,
);
