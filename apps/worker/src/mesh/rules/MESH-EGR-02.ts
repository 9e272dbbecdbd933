import { str, strs } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { meta, objRef, y } from "./util.js";

/** `*`, or a wildcard over a public suffix (`*.com`, `*.co.uk` counts as two labels and is allowed). */
export function isWideHost(h: string): boolean {
  return h === "*" || /^\*\.[^.]+$/.test(h);
}

/** CIDRs wider than /16 (IPv4) or /32 (IPv6), including 0.0.0.0/0. */
export function isWideCidr(c: string): boolean {
  const m = /\/(\d+)$/.exec(c);
  if (!m) return false;
  const bits = Number(m[1]);
  return c.includes(":") ? bits < 32 : bits < 16;
}

export const rule: MeshRule = {
  id: "MESH-EGR-02",
  title: "ServiceEntry opens a wide set of external destinations",
  severity: "medium",
  strategy: "PROT-EDGE",
  nist: [N.DR8],
  needs: ["istio"],
  rationale:
    "A ServiceEntry for `*` or `*.com`, or with resolution NONE over wide address ranges, turns the egress " +
    "allow-list back into allow-all for that port: REGISTRY_ONLY no longer constrains where workloads go.",
  remediation:
    "Declare the exact external hostnames (or narrow CIDRs) the workloads need, one entry per dependency.",
  fix: (v) =>
    y({
      apiVersion: "networking.istio.io/v1",
      kind: "ServiceEntry",
      metadata: meta(v.resource),
      spec: {
        hosts: ["api.payments.example.com"],
        exportTo: ["."],
        location: "MESH_EXTERNAL",
        ports: [{ number: 443, name: "tls", protocol: "TLS" }],
        resolution: "DNS",
      },
    }),
  references: [ISTIO_DOCS.serviceEntry],
  check(ctx) {
    const out: Violation[] = [];
    for (const se of ctx.inv.of("ServiceEntry")) {
      const hosts = strs(se.spec.hosts).filter(isWideHost);
      const none = (str(se.spec.resolution) ?? "NONE").toUpperCase() === "NONE";
      const cidrs = none ? strs(se.spec.addresses).filter(isWideCidr) : [];
      if (hosts.length === 0 && cidrs.length === 0) continue;
      out.push({
        resource: objRef(se),
        message: [
          hosts.length ? `hosts ${hosts.join(", ")}` : null,
          cidrs.length ? `addresses ${cidrs.join(", ")}` : null,
        ]
          .filter(Boolean)
          .join("; "),
        evidence: { hosts, addresses: cidrs },
      });
    }
    return out;
  },
};
