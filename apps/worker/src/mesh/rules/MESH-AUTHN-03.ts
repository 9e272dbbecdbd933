import { rec, recs, str, strs } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { objRef, y } from "./util.js";

const CLAIM = "@request.auth.claims";

export const rule: MeshRule = {
  id: "MESH-AUTHN-03",
  title: "Routing on JWT claims without RequestAuthentication",
  severity: "high",
  strategy: "PROT-EUAUTHN",
  nist: [N.SS1],
  needs: ["istio"],
  rationale:
    "A VirtualService that matches `@request.auth.claims` relies on a validated token; without a " +
    "RequestAuthentication on the gateway or workload the claims are never extracted, so the routes never " +
    "match (or, with a forged header path, send users where they should not go).",
  remediation: "Add a RequestAuthentication for the gateway (or workloads) that serve these routes.",
  fix: (v) =>
    y({
      apiVersion: "security.istio.io/v1",
      kind: "RequestAuthentication",
      metadata: { name: "jwt", namespace: v.evidence?.gatewayNamespace ?? v.resource.namespace },
      spec: {
        selector: { matchLabels: { istio: "ingressgateway" } },
        jwtRules: [
          { issuer: "https://idp.example.com", jwksUri: "https://idp.example.com/.well-known/jwks.json" },
        ],
      },
    }),
  references: [ISTIO_DOCS.virtualService, "https://istio.io/latest/docs/reference/config/analysis/ist0149/"],
  check(ctx) {
    const out: Violation[] = [];
    const raNamespaces = new Set(ctx.inv.of("RequestAuthentication").map((r) => r.namespace));
    for (const vs of ctx.inv.of("VirtualService")) {
      const claims = recs(vs.spec.http).some((h) =>
        recs(h.match).some((m) =>
          [...Object.keys(rec(m.headers)), ...Object.keys(rec(m.withoutHeaders))].some((k) =>
            k.startsWith(CLAIM),
          ),
        ),
      );
      if (!claims) continue;
      const gwNamespaces = strs(vs.spec.gateways)
        .filter((g) => g !== "mesh")
        .map((g) => (g.includes("/") ? g.slice(0, g.indexOf("/")) : vs.namespace));
      const covered = [vs.namespace, ctx.root, ...gwNamespaces].some((ns) => raNamespaces.has(ns));
      if (covered) continue;
      out.push({
        resource: objRef(vs),
        message: "routes on @request.auth.claims but no RequestAuthentication covers the gateway or workload",
        evidence: {
          gateways: strs(vs.spec.gateways),
          gatewayNamespace: gwNamespaces[0] ?? str(vs.namespace),
        },
      });
    }
    return out;
  },
};
