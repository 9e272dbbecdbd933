import { num, rec, recs, str, strs } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { isEgressGateway, meta, objRef, truthy, y } from "./util.js";

const PLAIN = new Set(["HTTP", "HTTP2", "GRPC", "GRPC-WEB"]);
const NEEDS_TLS = new Set(["HTTPS", "TLS"]);

export const rule: MeshRule = {
  id: "MESH-GW-02",
  title: "Ingress gateway listener without TLS",
  severity: "high",
  strategy: "PROT-TLS",
  also: ["PROT-EDGE"],
  nist: [N.SS4, N.A42],
  needs: ["istio"],
  rationale:
    "An ingress server with protocol HTTP that does not redirect to HTTPS serves clients in clear text " +
    "(credentials and session cookies included); an HTTPS/TLS server without a tls block cannot terminate TLS.",
  remediation:
    "Serve HTTPS with a credentialName certificate, and turn the HTTP server into an httpsRedirect.",
  fix: (v) =>
    y({
      apiVersion: "networking.istio.io/v1",
      kind: "Gateway",
      metadata: meta(v.resource),
      spec: {
        selector: { istio: "ingressgateway" },
        servers: [
          {
            port: { number: 80, name: "http", protocol: "HTTP" },
            hosts: v.evidence?.hosts ?? ["app.example.com"],
            tls: { httpsRedirect: true },
          },
          {
            port: { number: 443, name: "https", protocol: "HTTPS" },
            hosts: v.evidence?.hosts ?? ["app.example.com"],
            tls: { mode: "SIMPLE", credentialName: "app-example-com", minProtocolVersion: "TLSV1_2" },
          },
        ],
      },
    }),
  references: [
    ISTIO_DOCS.gateway,
    "https://istio.io/latest/docs/tasks/traffic-management/ingress/secure-ingress/",
  ],
  check(ctx) {
    const out: Violation[] = [];
    for (const gw of ctx.inv.of("Gateway")) {
      if (isEgressGateway(gw)) continue;
      const bad: string[] = [];
      const hosts: string[] = [];
      for (const s of recs(gw.spec.servers)) {
        const port = rec(s.port);
        const proto = (str(port.protocol) ?? "").toUpperCase();
        const tls = rec(s.tls);
        if (PLAIN.has(proto) && !truthy(tls.httpsRedirect))
          bad.push(`port ${num(port.number) ?? "?"} ${proto} without httpsRedirect`);
        if (NEEDS_TLS.has(proto) && !s.tls) bad.push(`port ${num(port.number) ?? "?"} ${proto} without tls`);
        if (bad.length > 0) hosts.push(...strs(s.hosts));
      }
      if (bad.length === 0) continue;
      out.push({
        resource: objRef(gw),
        message: bad.join("; "),
        evidence: { servers: bad, hosts: [...new Set(hosts)] },
      });
    }
    return out;
  },
};
