import { recs, strs } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { hostPart, meta, objRef, y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-GW-01",
  title: "Gateway server accepts any host (wildcard *)",
  severity: "medium",
  strategy: "PROT-EDGE",
  nist: [N.A42],
  needs: ["istio"],
  rationale:
    "A server with hosts `*` binds every VirtualService host (of the allowed namespaces) to the public " +
    "listener: any team's route — including internal admin routes — becomes reachable from outside, and " +
    "Host-header tricks reach services never meant to be exposed.",
  remediation:
    "List the exact public hostnames, and prefix them with the namespace allowed to bind them (`ns/host`).",
  fix: (v) =>
    y({
      apiVersion: "networking.istio.io/v1",
      kind: "Gateway",
      metadata: meta(v.resource),
      spec: {
        selector: { istio: "ingressgateway" },
        servers: [
          {
            port: { number: 443, name: "https", protocol: "HTTPS" },
            hosts: ["shop/shop.example.com"],
            tls: { mode: "SIMPLE", credentialName: "shop-example-com" },
          },
        ],
      },
    }),
  references: [
    ISTIO_DOCS.gateway,
    "https://istio.io/latest/docs/ops/best-practices/security/#avoid-overly-broad-hosts-configurations",
  ],
  check(ctx) {
    const out: Violation[] = [];
    for (const gw of ctx.inv.of("Gateway")) {
      const wild = recs(gw.spec.servers).flatMap((s) => strs(s.hosts).filter((h) => hostPart(h) === "*"));
      if (wild.length === 0) continue;
      out.push({
        resource: objRef(gw),
        message: `hosts ${[...new Set(wild)].join(", ")}`,
        evidence: { hosts: [...new Set(wild)] },
      });
    }
    return out;
  },
};
