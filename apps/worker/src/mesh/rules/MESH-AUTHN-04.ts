import { recs, str } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { affectedBy, meta, objRef, truthy, y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-AUTHN-04",
  title: "End-user token forwarded beyond the point of authentication",
  severity: "low",
  strategy: "PROT-EUAUTHN",
  nist: [N.SS10],
  needs: ["istio"],
  rationale:
    "forwardOriginalToken: true passes the user's bearer token on to the upstream, which may forward it again: " +
    "MS-SS-10 wants user session tokens kept at the gateway and internal calls authorized with internal " +
    "tokens or claims headers (outputClaimToHeaders) instead.",
  remediation:
    "Remove forwardOriginalToken (default false) and pass the needed claims with outputClaimToHeaders.",
  fix: (v) =>
    y({
      apiVersion: "security.istio.io/v1",
      kind: "RequestAuthentication",
      metadata: meta(v.resource),
      spec: {
        jwtRules: [
          {
            issuer: (v.evidence?.issuers as string[] | undefined)?.[0] ?? "https://idp.example.com",
            forwardOriginalToken: false,
            outputClaimToHeaders: [{ header: "x-user-id", claim: "sub" }],
          },
        ],
      },
    }),
  references: [ISTIO_DOCS.requestAuthn],
  check(ctx) {
    const out: Violation[] = [];
    const index = ctx.resolver.indexes.requestAuthn;
    for (const ra of index.all()) {
      const rules = recs(ra.obj.spec.jwtRules).filter((r) => truthy(r.forwardOriginalToken));
      if (rules.length === 0) continue;
      out.push({
        resource: objRef(ra.obj),
        affected: affectedBy(ctx, index, ra),
        message: `forwardOriginalToken for issuer(s) ${rules.map((r) => str(r.issuer) ?? "?").join(", ")}`,
        evidence: { issuers: rules.map((r) => str(r.issuer) ?? "?") },
      });
    }
    return out;
  },
};
