import { rec, str } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { meta, objRef, trafficPolicies, y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-LB-01",
  title: "Sticky sessions on a cookie or header (review session-token handling)",
  severity: "info",
  strategy: "RES-LB",
  nist: [N.SS10, N.SS7],
  needs: ["istio"],
  rationale:
    "consistentHash on an HTTP cookie or header pins clients to replicas by a session value: session state " +
    "then lives in one replica (lost on failure), and the hashed value — often a session token — must be " +
    "handled as a secret (MS-SS-10).",
  remediation:
    "Prefer stateless services with a shared session store; hash on a non-secret key if affinity is needed.",
  fix: (v) =>
    y({
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: meta(v.resource),
      spec: { host: v.evidence?.host ?? "svc", trafficPolicy: { loadBalancer: { simple: "LEAST_REQUEST" } } },
    }),
  references: [ISTIO_DOCS.destinationRule],
  check(ctx) {
    const out: Violation[] = [];
    for (const dr of ctx.inv.of("DestinationRule")) {
      const keys = trafficPolicies(dr)
        .map((tp) => rec(rec(tp.loadBalancer).consistentHash))
        .flatMap((h) => [
          h.httpCookie ? `cookie ${str(rec(h.httpCookie).name) ?? "?"}` : null,
          str(h.httpHeaderName) ? `header ${str(h.httpHeaderName)}` : null,
        ])
        .filter((x): x is string => x !== null);
      if (keys.length === 0) continue;
      out.push({
        resource: objRef(dr),
        message: `consistent hash on ${keys.join(", ")}`,
        evidence: { host: str(dr.spec.host), keys },
      });
    }
    return out;
  },
};
