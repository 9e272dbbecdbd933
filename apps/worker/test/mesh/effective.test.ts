import { describe, expect, it } from "vitest";
import { decide, type Request } from "../../src/mesh/effective/decide.js";
import { buildIndexes, type Effective, Resolver } from "../../src/mesh/effective/index.js";
import { buildInventory } from "../../src/mesh/model/inventory.js";
import { toList } from "./helpers.js";

const pa = (ns: string, name: string, spec: string) =>
  `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: { name: ${name}, namespace: ${ns} }\nspec: ${spec}\n---\n`;
const ap = (ns: string, name: string, spec: string, dryRun = false) =>
  `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: ${name}, namespace: ${ns}${dryRun ? ', annotations: { istio.io/dry-run: "true" }' : ""} }\nspec: ${spec}\n---\n`;
const WORKLOAD = `apiVersion: v1
kind: Pod
metadata: { name: api-6d8f7c9b5d-x7k2p, namespace: shop, labels: { app: api, pod-template-hash: 6d8f7c9b5d } }
spec: { containers: [{ name: app, image: r/api:1 }, { name: istio-proxy, image: proxyv2:1.24.1 }] }
`;

function effective(yaml: string): Effective {
  const inv = buildInventory(toList(`${yaml}${WORKLOAD}`));
  const w = inv.workloads.find((x) => x.key === "Deployment/shop/api");
  if (!w) throw new Error("workload not built");
  return new Resolver(inv, buildIndexes(inv)).of(w);
}

const STRICT = "{ mtls: { mode: STRICT } }";
const sel = (spec: string) => `{ selector: { matchLabels: { app: api } }, ${spec.slice(1)}`;

describe("PeerAuthentication precedence", () => {
  it.each([
    {
      case: "no policy: Istio's PERMISSIVE default",
      yaml: "",
      mode: "PERMISSIVE",
      level: "default",
      ports: {},
      strict: false,
    },
    {
      case: "mesh STRICT",
      yaml: pa("istio-system", "default", STRICT),
      mode: "STRICT",
      level: "mesh",
      ports: {},
      strict: true,
    },
    {
      case: "namespace PERMISSIVE under mesh STRICT",
      yaml: pa("istio-system", "default", STRICT) + pa("shop", "default", "{ mtls: { mode: PERMISSIVE } }"),
      mode: "PERMISSIVE",
      level: "namespace",
      ports: {},
      strict: false,
    },
    {
      case: "workload DISABLE over namespace STRICT",
      yaml: pa("shop", "default", STRICT) + pa("shop", "api", sel("{ mtls: { mode: DISABLE } }")),
      mode: "DISABLE",
      level: "workload",
      ports: {},
      strict: false,
    },
    {
      case: "workload UNSET inherits the namespace",
      yaml:
        pa("istio-system", "default", "{ mtls: { mode: PERMISSIVE } }") +
        pa("shop", "default", STRICT) +
        pa("shop", "api", sel("{ mtls: { mode: UNSET } }")),
      mode: "STRICT",
      level: "namespace",
      ports: {},
      strict: true,
    },
    {
      case: "port-level PERMISSIVE override under mesh STRICT",
      yaml:
        pa("istio-system", "default", STRICT) +
        pa("shop", "api", sel("{ portLevelMtls: { 8080: { mode: PERMISSIVE } } }")),
      mode: "STRICT",
      level: "mesh",
      ports: { 8080: "PERMISSIVE" },
      strict: false,
    },
    {
      case: "port-level UNSET inherits the workload's mode",
      yaml: pa("shop", "api", sel("{ mtls: { mode: STRICT }, portLevelMtls: { 9090: { mode: UNSET } } }")),
      mode: "STRICT",
      level: "workload",
      ports: { 9090: "STRICT" },
      strict: true,
    },
    {
      case: "a root-namespace selector applies to the root namespace only",
      yaml:
        pa("istio-system", "api", sel("{ mtls: { mode: DISABLE } }")) + pa("istio-system", "default", STRICT),
      mode: "STRICT",
      level: "mesh",
      ports: {},
      strict: true,
    },
    {
      case: "another namespace's workload policy does not apply",
      yaml: pa("shop", "default", STRICT) + pa("other", "api", sel("{ mtls: { mode: DISABLE } }")),
      mode: "STRICT",
      level: "namespace",
      ports: {},
      strict: true,
    },
  ])("$case", ({ yaml, mode, level, ports, strict }) => {
    const { peer } = effective(yaml);
    expect(peer).toMatchObject({ mode, level, ports, strictAllPorts: strict });
  });
});

const admin: Request = {
  principal: "cluster.local/ns/shop/sa/web",
  namespace: "shop",
  path: "/admin",
  method: "GET",
};
const anonymous: Request = { path: "/public", method: "GET" };

describe("AuthorizationPolicy evaluation order", () => {
  it.each([
    { case: "no policy allows", yaml: "", req: admin, decision: "ALLOW", by: null },
    {
      case: "spec: {} denies everything",
      yaml: ap("istio-system", "allow-nothing", "{}"),
      req: admin,
      decision: "DENY",
      by: null,
    },
    {
      case: "ALLOW rules: [{}] allows everything",
      yaml: ap("istio-system", "allow-nothing", "{}") + ap("shop", "all", "{ rules: [{}] }"),
      req: anonymous,
      decision: "ALLOW",
      by: "AuthorizationPolicy/shop/all",
    },
    {
      case: "DENY before ALLOW",
      yaml:
        ap(
          "shop",
          "allow-web",
          '{ rules: [{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/web"] } }] }] }',
        ) +
        ap("shop", "deny-admin", '{ action: DENY, rules: [{ to: [{ operation: { paths: ["/admin"] } }] }] }'),
      req: admin,
      decision: "DENY",
      by: "AuthorizationPolicy/shop/deny-admin",
    },
    {
      case: "with ALLOW policies, an unmatched request is denied",
      yaml: ap(
        "shop",
        "allow-web",
        '{ rules: [{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/web"] } }] }] }',
      ),
      req: anonymous,
      decision: "DENY",
      by: null,
    },
    {
      case: "CUSTOM decides before DENY and ALLOW",
      yaml:
        ap(
          "shop",
          "ext",
          '{ action: CUSTOM, provider: { name: opa }, rules: [{ to: [{ operation: { paths: ["/admin"] } }] }] }',
        ) +
        ap("shop", "deny-admin", '{ action: DENY, rules: [{ to: [{ operation: { paths: ["/admin"] } }] }] }'),
      req: admin,
      decision: "CUSTOM",
      by: "AuthorizationPolicy/shop/ext",
    },
    {
      case: "a dry-run DENY is not enforced",
      yaml: ap(
        "shop",
        "deny-admin",
        '{ action: DENY, rules: [{ to: [{ operation: { paths: ["/admin"] } }] }] }',
        true,
      ),
      req: admin,
      decision: "ALLOW",
      by: null,
    },
    {
      case: "AUDIT never decides",
      yaml: ap("shop", "audit", "{ action: AUDIT, rules: [{}] }"),
      req: admin,
      decision: "ALLOW",
      by: null,
    },
    {
      case: "a root-namespace ALLOW with a selector applies in every namespace",
      yaml: ap(
        "istio-system",
        "api-only-web",
        '{ selector: { matchLabels: { app: api } }, rules: [{ from: [{ source: { namespaces: ["web"] } }] }] }',
      ),
      req: admin,
      decision: "DENY",
      by: null,
    },
  ])("$case", ({ yaml, req, decision, by }) => {
    const e = effective(yaml);
    expect(decide(e.authz, req)).toEqual({ decision, by });
  });

  it("keeps dry-run policies apart from the enforced sets", () => {
    const e = effective(ap("shop", "dry", "{ rules: [{}] }", true));
    expect(e.authz.allow).toHaveLength(0);
    expect(e.authz.dryRun.map((p) => p.obj.name)).toEqual(["dry"]);
  });
});

describe("data plane per workload", () => {
  const ns = (labels: string) =>
    `apiVersion: v1\nkind: Namespace\nmetadata: { name: shop, labels: ${labels} }\n---\n`;
  const pod = (meta: string, proxy: boolean) => `apiVersion: v1
kind: Pod
metadata: { name: api-6d8f7c9b5d-x7k2p, namespace: shop, labels: { app: api, pod-template-hash: 6d8f7c9b5d }${meta} }
spec: { containers: [{ name: app, image: r/api:1 }${proxy ? ", { name: istio-proxy, image: proxyv2:1.24.1 }" : ""}] }
`;
  const plane = (yaml: string) => buildInventory(toList(yaml)).workloads[0];
  it.each([
    {
      case: "istio-proxy container",
      yaml: ns("{ istio-injection: enabled }") + pod("", true),
      dataPlane: "sidecar",
      optOut: false,
    },
    {
      case: "ambient namespace",
      yaml: ns("{ istio.io/dataplane-mode: ambient }") + pod("", false),
      dataPlane: "ambient",
      optOut: false,
    },
    {
      case: "ambient pod label in an unlabelled namespace",
      yaml: ns("{}") + pod(", labels: { app: api, istio.io/dataplane-mode: ambient }", false),
      dataPlane: "ambient",
      optOut: false,
    },
    {
      case: "pod opted out of ambient",
      yaml:
        ns("{ istio.io/dataplane-mode: ambient }") +
        pod(", labels: { app: api, istio.io/dataplane-mode: none }", false),
      dataPlane: "none",
      optOut: false,
    },
    {
      case: "the inject label wins over the annotation",
      yaml:
        ns("{ istio-injection: enabled }") +
        pod(
          ', labels: { sidecar.istio.io/inject: "false" }, annotations: { sidecar.istio.io/inject: "true" }',
          false,
        ),
      dataPlane: "none",
      optOut: true,
    },
  ])("$case", ({ yaml, dataPlane, optOut }) => {
    expect(plane(yaml)).toMatchObject({ dataPlane, optOut });
  });

  it("predicts injection for a Deployment whose Pods are not listed", () => {
    const yaml = `${ns("{ istio.io/rev: canary }")}apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec: { template: { metadata: { labels: { app: api } }, spec: { containers: [{ name: app, image: r/api:1 }] } } }
`;
    expect(plane(yaml)).toMatchObject({
      key: "Deployment/shop/api",
      pods: 0,
      dataPlane: "sidecar",
      injectionExpected: true,
    });
  });
});
