import { type K8sObject, rec, str, strs } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshContext, MeshRule, Violation } from "./types.js";
import { meta, objRef, tlsBlocks, y } from "./util.js";

/** A host served inside the mesh: cluster-local names, short names, Services and MESH_INTERNAL entries. */
export function isMeshHost(ctx: MeshContext, entries: ReadonlyMap<string, string[]>, host: string): boolean {
  const locations = entries.get(host) ?? [];
  // a host a ServiceEntry declares outside the mesh (location defaults to MESH_EXTERNAL) is not a mesh host
  if (locations.some((l) => l !== "MESH_INTERNAL")) return false;
  if (locations.length > 0) return true;
  if (host === "*" || host.endsWith(".local") || !host.includes(".")) return true;
  const [name, svcNs] = host.split(".");
  if (name && svcNs && ctx.inv.serviceSelectors.has(`${svcNs}/${name}`)) return true;
  return false;
}

export const rule: MeshRule = {
  id: "MESH-MTLS-03",
  title: "DestinationRule disables mesh mTLS to an in-mesh host",
  severity: "high",
  strategy: "PROT-MTLS",
  nist: [N.DR6, N.SS4],
  needs: ["istio"],
  rationale:
    "A DestinationRule whose tls mode is DISABLE or SIMPLE for a mesh service makes client sidecars send " +
    "plaintext (or one-way TLS without a client certificate) instead of Istio mutual TLS: the callee sees no " +
    "peer identity, and under STRICT the calls fail; auto-mTLS does not apply once tls is set.",
  remediation:
    "Use mode ISTIO_MUTUAL for in-mesh hosts (or remove the tls block and rely on auto-mTLS). Keep SIMPLE / " +
    "MUTUAL for hosts outside the mesh only.",
  fix: (v) =>
    y({
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: meta(v.resource),
      spec: {
        host: v.evidence?.host ?? "svc.ns.svc.cluster.local",
        trafficPolicy: { tls: { mode: "ISTIO_MUTUAL" } },
      },
    }),
  references: [
    ISTIO_DOCS.destinationRule,
    "https://istio.io/latest/docs/ops/configuration/traffic-management/tls-configuration/",
  ],
  check(ctx) {
    const out: Violation[] = [];
    const entries = new Map<string, string[]>();
    for (const se of ctx.inv.of("ServiceEntry")) {
      for (const h of strs(se.spec.hosts))
        entries.set(h, [...(entries.get(h) ?? []), str(se.spec.location) ?? "MESH_EXTERNAL"]);
    }
    for (const dr of ctx.inv.of("DestinationRule")) {
      const host = str(dr.spec.host) ?? "";
      if (!host || !isMeshHost(ctx, entries, host)) continue;
      const weak = tlsBlocks(dr).filter((b) => {
        const m = str(b.tls.mode)?.toUpperCase();
        return m === "DISABLE" || m === "SIMPLE";
      });
      if (weak.length === 0) continue;
      out.push(
        violation(
          dr,
          host,
          weak.map((b) => `${b.where}: ${str(b.tls.mode)}`),
        ),
      );
    }
    return out;
  },
};

function violation(dr: K8sObject, host: string, where: string[]): Violation {
  return {
    resource: objRef(dr),
    message: `tls ${where.join(", ")} for mesh host ${host}`,
    evidence: { host, settings: where, exportTo: strs(rec(dr.spec).exportTo) },
  };
}
