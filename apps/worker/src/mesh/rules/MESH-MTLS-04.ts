import { type K8sObject, num, recs, str, strs } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import { HostIndex } from "./hosts.js";
import type { MeshRule, Violation } from "./types.js";
import { meta, objRef, tlsBlocks, y } from "./util.js";

const TLS_PROTOCOLS = new Set(["HTTPS", "TLS"]);

export const rule: MeshRule = {
  id: "MESH-MTLS-04",
  title: "Plaintext traffic to an external service (no TLS origination)",
  severity: "medium",
  strategy: "PROT-TLS",
  nist: [N.DR8, N.SS4],
  needs: ["istio"],
  rationale:
    "A MESH_EXTERNAL ServiceEntry reached on a plaintext port (HTTP, TCP…) without a DestinationRule that " +
    "originates TLS sends requests and credentials in clear text once they leave the mesh.",
  remediation:
    "Call the external service over TLS (port protocol HTTPS/TLS) or originate TLS in the sidecar or the egress " +
    "gateway with a DestinationRule (mode SIMPLE, caCertificates or credentialName to verify the server).",
  fix: (v) =>
    y({
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: {
        name: `${v.resource.name}-tls`,
        ...(v.resource.namespace ? { namespace: v.resource.namespace } : {}),
      },
      spec: {
        host: (v.evidence?.hosts as string[] | undefined)?.[0] ?? "api.example.com",
        trafficPolicy: {
          portLevelSettings: [
            {
              port: { number: (v.evidence?.ports as number[] | undefined)?.[0] ?? 80 },
              tls: {
                mode: "SIMPLE",
                sni: (v.evidence?.hosts as string[] | undefined)?.[0] ?? "api.example.com",
              },
            },
          ],
        },
      },
    }),
  references: [
    ISTIO_DOCS.serviceEntry,
    "https://istio.io/latest/docs/tasks/traffic-management/egress/egress-tls-origination/",
  ],
  check(ctx) {
    const out: Violation[] = [];
    const drs = new HostIndex<K8sObject>();
    for (const dr of ctx.inv.of("DestinationRule")) drs.add(str(dr.spec.host) ?? "", dr);
    for (const se of ctx.inv.of("ServiceEntry")) {
      if (str(se.spec.location) === "MESH_INTERNAL") continue;
      const hosts = strs(se.spec.hosts);
      const originating = [...new Set(hosts.flatMap((h) => drs.match(h)))];
      const plaintext: number[] = [];
      for (const p of recs(se.spec.ports)) {
        const n = num(p.number) ?? 0;
        const proto = (str(p.protocol) ?? "").toUpperCase();
        if (TLS_PROTOCOLS.has(proto) || (proto === "" && n === 443)) continue;
        const covered = originating.some((dr) =>
          tlsBlocks(dr).some((b) => {
            const mode = str(b.tls.mode)?.toUpperCase();
            const portOk = !b.where.includes(" port ") || b.where.endsWith(` port ${n}`);
            return (mode === "SIMPLE" || mode === "MUTUAL") && portOk;
          }),
        );
        if (!covered) plaintext.push(n);
      }
      if (plaintext.length === 0) continue;
      out.push({
        resource: objRef(se),
        message: `plaintext port(s) ${plaintext.join(", ")} to ${hosts.join(", ")} without TLS origination`,
        evidence: { hosts, ports: plaintext, ...meta(se) },
      });
    }
    return out;
  },
};
