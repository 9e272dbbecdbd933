import { expect, it } from "vitest";
import { RULES } from "../../../src/mesh/index.js";
import { baselineMesh } from "../helpers.js";
import { type RuleCase, runCases } from "./run-cases.js";

const ap = (ns: string, name: string, spec: string, annotations = "") =>
  `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: ${name}, namespace: ${ns}${annotations} }\nspec:\n${spec}\n`;
const webSel = "  selector: { matchLabels: { app: web } }\n";
const ra = (extra = "") => `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: web-jwt, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  jwtRules:
    - issuer: https://idp.example.com
      jwksUri: https://idp.example.com/.well-known/jwks.json
${extra}`;
const customMesh = (failOpen: boolean) =>
  baselineMesh({
    extensionProviders: `extensionProviders:\n  - name: opa\n    envoyExtAuthzGrpc: { service: opa.auth.svc.cluster.local, port: 9191, failOpen: ${failOpen} }`,
  });
const custom = ap(
  "shop",
  "opa",
  `${webSel}  action: CUSTOM\n  provider: { name: opa }\n  rules: [{ to: [{ operation: { paths: ["/admin/*"] } }] }]`,
);
const claimsVs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: beta, namespace: shop }
spec:
  hosts: [shop.example.com]
  gateways: [istio-ingress/public]
  http:
    - match: [{ headers: { "@request.auth.claims.group": { exact: beta } } }]
      route: [{ destination: { host: web.shop.svc.cluster.local } }]
      timeout: 5s
`;

const cases: RuleCase[] = [
  {
    id: "MESH-AUTHZ-01",
    fire: {
      without: ["AuthorizationPolicy/istio-system/allow-nothing"],
      resource: "Namespace/istio-system/istio-system",
    },
    quiet: {
      without: ["AuthorizationPolicy/istio-system/allow-nothing"],
      yaml: ap("istio-system", "deny-all", "  action: DENY\n  rules: [{}]"),
    },
  },
  {
    id: "MESH-AUTHZ-02",
    fire: { yaml: ap("shop", "web", `${webSel}  rules: [{}]`), resource: "AuthorizationPolicy/shop/web" },
    quiet: {
      yaml: ap(
        "shop",
        "web",
        `${webSel}  rules: [{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/api"] } }] }]`,
      ),
    },
  },
  {
    id: "MESH-AUTHZ-03",
    fire: {
      yaml: ap("shop", "web", `${webSel}  rules: [{ to: [{ operation: { notPaths: ["/admin/*"] } }] }]`),
      resource: "AuthorizationPolicy/shop/web",
    },
    quiet: {
      yaml: ap(
        "shop",
        "block-admin",
        `${webSel}  action: DENY\n  rules: [{ to: [{ operation: { notPaths: ["/products/*"] } }] }]`,
      ),
    },
  },
  {
    id: "MESH-AUTHZ-04",
    fire: {
      yaml: `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: { name: default, namespace: shop }\nspec: { mtls: { mode: PERMISSIVE } }\n`,
      resource: "AuthorizationPolicy/shop/web",
    },
    quiet: {},
  },
  {
    id: "MESH-AUTHZ-05",
    fire: {
      yaml: ap("shop", "web", `${webSel}  rules: [{ from: [{ source: { namespaces: ["marketing"] } }] }]`),
      resource: "AuthorizationPolicy/shop/web",
    },
    quiet: {
      yaml: ap(
        "shop",
        "web",
        `${webSel}  rules: [{ from: [{ source: { namespaces: ["marketing"] } }] }]`,
        ', annotations: { security.bulwark.dev/cross-namespace: "campaign pages read the catalog (SEC-42)" }',
      ),
    },
  },
  {
    id: "MESH-AUTHZ-06",
    fire: { yaml: `${customMesh(true)}---\n${custom}`, resource: "AuthorizationPolicy/shop/opa" },
    quiet: { yaml: `${customMesh(false)}---\n${custom}` },
  },
  {
    id: "MESH-AUTHZ-07",
    fire: {
      yaml: baselineMesh({ pathNormalization: "pathNormalization: { normalization: NONE }" }),
      resource: "ConfigMap/istio-system/istio",
    },
    quiet: {
      yaml: baselineMesh({ pathNormalization: "pathNormalization: { normalization: MERGE_SLASHES }" }),
    },
  },
  {
    id: "MESH-AUTHN-01",
    fire: {
      without: ["AuthorizationPolicy/shop/require-jwt"],
      resource: "RequestAuthentication/shop/web-jwt",
    },
    quiet: {
      without: ["AuthorizationPolicy/shop/require-jwt"],
      yaml: ap(
        "shop",
        "web",
        `${webSel}  rules: [{ from: [{ source: { requestPrincipals: ["https://idp.example.com/*"] } }] }]`,
      ),
    },
  },
  {
    id: "MESH-AUTHN-03",
    fire: {
      yaml: claimsVs,
      without: ["RequestAuthentication/shop/web-jwt"],
      resource: "VirtualService/shop/beta",
    },
    quiet: { yaml: claimsVs },
  },
  {
    id: "MESH-AUTHN-04",
    fire: { yaml: ra("      forwardOriginalToken: true\n"), resource: "RequestAuthentication/shop/web-jwt" },
    quiet: { yaml: ra("      outputClaimToHeaders: [{ header: x-user, claim: sub }]\n") },
  },
];

runCases(cases);

it("names only registered rules, so no case silently tests nothing", () => {
  expect(cases.map((c) => c.id).filter((id) => !RULES.some((r) => r.id === id))).toEqual([]);
});
