import { num, rec, recs, str, strs } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { meta, objRef, y } from "./util.js";

/** Ciphers without forward secrecy or with broken primitives (3DES, RC4, NULL, EXPORT, MD5, SHA-1 CBC suites). */
export function isWeakCipher(c: string): boolean {
  const u = c.toUpperCase();
  if (/3DES|DES-CBC|RC4|NULL|EXPORT|MD5/.test(u)) return true;
  // RSA key exchange (no ECDHE/DHE) has no forward secrecy
  if (!/^(ECDHE|DHE|TLS_)/.test(u)) return true;
  return /-SHA$/.test(u);
}

export const rule: MeshRule = {
  id: "MESH-TLS-07",
  title: "Gateway TLS floor below 1.2 or weak cipher suites",
  severity: "medium",
  strategy: "PROT-TLS",
  nist: [N.A42, N.SS4],
  needs: ["istio"],
  rationale:
    "Gateways terminate the public TLS of the mesh; a server that accepts TLS 1.0/1.1 or ciphers without " +
    "forward secrecy lets clients (and attackers) negotiate a breakable session.",
  remediation:
    "Set tls.minProtocolVersion to TLSV1_2 (or TLSV1_3) on every server and drop cipherSuites to the ECDHE " +
    "AEAD suites (or remove cipherSuites to use Envoy's defaults).",
  fix: (v) =>
    y({
      apiVersion: "networking.istio.io/v1",
      kind: "Gateway",
      metadata: meta(v.resource),
      spec: {
        servers: [
          {
            port: { number: 443, name: "https", protocol: "HTTPS" },
            hosts: ["app.example.com"],
            tls: {
              mode: "SIMPLE",
              credentialName: "app-example-cert",
              minProtocolVersion: "TLSV1_2",
              cipherSuites: ["ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384"],
            },
          },
        ],
      },
    }),
  references: [ISTIO_DOCS.gateway],
  check(ctx) {
    const out: Violation[] = [];
    for (const gw of ctx.inv.of("Gateway")) {
      const problems: string[] = [];
      for (const s of recs(gw.spec.servers)) {
        const tls = rec(s.tls);
        const port = num(rec(s.port).number) ?? 0;
        const min = str(tls.minProtocolVersion)?.toUpperCase();
        if (min === "TLSV1_0" || min === "TLSV1_1") problems.push(`port ${port}: minProtocolVersion ${min}`);
        const weak = strs(tls.cipherSuites).filter(isWeakCipher);
        if (weak.length > 0) problems.push(`port ${port}: weak ciphers ${weak.join(", ")}`);
      }
      if (problems.length > 0)
        out.push({ resource: objRef(gw), message: problems.join("; "), evidence: { problems } });
    }
    return out;
  },
};
