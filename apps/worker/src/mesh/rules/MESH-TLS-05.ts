import { str } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { meta, objRef, tlsBlocks, truthy, y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-TLS-05",
  title: "DestinationRule TLS without server-certificate verification",
  severity: "medium",
  strategy: "PROT-TLS",
  nist: [N.SS4],
  needs: ["istio"],
  rationale:
    "TLS originated with mode SIMPLE or MUTUAL is only as good as the check of the server's certificate: " +
    "insecureSkipVerify turns it off, and without caCertificates or a credentialName holding ca.crt the proxy " +
    "falls back to the system roots (or, on older Istio, verifies nothing), so a man in the middle can answer.",
  remediation:
    "Remove insecureSkipVerify and pin the server's CA (caCertificates or a credentialName secret with ca.crt); " +
    "set subjectAltNames or sni so the certificate's name is checked.",
  fix: (v) =>
    y({
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: meta(v.resource),
      spec: {
        host: v.evidence?.host ?? "api.example.com",
        trafficPolicy: {
          tls: {
            mode: "SIMPLE",
            credentialName: "api-example-ca",
            subjectAltNames: [v.evidence?.host ?? "api.example.com"],
          },
        },
      },
    }),
  references: [ISTIO_DOCS.destinationRule, "https://istio.io/latest/docs/reference/config/analysis/ist0128/"],
  check(ctx) {
    const out: Violation[] = [];
    for (const dr of ctx.inv.of("DestinationRule")) {
      const skip: string[] = [];
      const noCa: string[] = [];
      for (const b of tlsBlocks(dr)) {
        const mode = str(b.tls.mode)?.toUpperCase();
        if (mode !== "SIMPLE" && mode !== "MUTUAL") continue;
        if (truthy(b.tls.insecureSkipVerify)) skip.push(b.where);
        else if (!str(b.tls.caCertificates) && !str(b.tls.credentialName)) noCa.push(b.where);
      }
      if (skip.length === 0 && noCa.length === 0) continue;
      out.push({
        resource: objRef(dr),
        severity: skip.length > 0 ? "medium" : "low",
        message: [
          skip.length > 0 ? `insecureSkipVerify at ${skip.join(", ")}` : null,
          noCa.length > 0 ? `no caCertificates/credentialName at ${noCa.join(", ")}` : null,
        ]
          .filter(Boolean)
          .join("; "),
        evidence: { host: str(dr.spec.host), insecureSkipVerify: skip, withoutCa: noCa },
      });
    }
    return out;
  },
};
