import { type Rec, rec, recs, str, strs } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { meta, objRef, truthy, y } from "./util.js";

function anyOrigin(cors: Rec): boolean {
  if (strs(cors.allowOrigin).includes("*")) return true;
  return recs(cors.allowOrigins).some(
    (o) => str(o.exact) === "*" || str(o.regex) === ".*" || str(o.regex) === ".+" || str(o.prefix) === "",
  );
}

export const rule: MeshRule = {
  id: "MESH-CORS-01",
  title: "CORS allows any origin with credentials",
  severity: "medium",
  strategy: "PROT-EDGE",
  nist: [N.A47],
  needs: ["istio"],
  rationale:
    "A corsPolicy that allows every origin and allowCredentials lets any web page the user visits call the " +
    "API with the user's cookies and read the answers (cross-site request forgery with data theft).",
  remediation: "List the exact allowed origins (exact or a tight regex) when credentials are allowed.",
  fix: (v) =>
    y({
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: meta(v.resource),
      spec: {
        http: [
          {
            corsPolicy: {
              allowOrigins: [{ exact: "https://app.example.com" }],
              allowMethods: ["GET", "POST"],
              allowCredentials: true,
            },
          },
        ],
      },
    }),
  references: [ISTIO_DOCS.virtualService],
  check(ctx) {
    const out: Violation[] = [];
    for (const vs of ctx.inv.of("VirtualService")) {
      const routes = recs(vs.spec.http)
        .map((h, i) => ({ i, cors: rec(h.corsPolicy) }))
        .filter(({ cors }) => anyOrigin(cors) && truthy(cors.allowCredentials));
      if (routes.length === 0) continue;
      out.push({
        resource: objRef(vs),
        message: `http[${routes.map((r) => r.i).join(", ")}] allow any origin with credentials`,
        evidence: { routes: routes.map((r) => r.i) },
      });
    }
    return out;
  },
};
