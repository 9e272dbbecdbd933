import type { Workload } from "../model/workloads.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { wlRef, y } from "./util.js";

const P = "traffic.sidecar.istio.io/";
/** Istio's own ports (15000–15099): excluding them is the injector's default, not a bypass. */
const isIstioPort = (p: string) => /^150\d\d$/.test(p.trim());

export function exclusions(w: Workload): Record<string, string> {
  const a = w.annotations;
  const out: Record<string, string> = {};
  for (const key of ["excludeInboundPorts", "excludeOutboundPorts"]) {
    const ports = (a[P + key] ?? "").split(",").filter((p) => p.trim() && !isIstioPort(p));
    if (ports.length > 0) out[key] = ports.join(",");
  }
  for (const key of ["excludeOutboundIPRanges", "excludeInterfaces"]) {
    if ((a[P + key] ?? "").trim()) out[key] = a[P + key] as string;
  }
  for (const key of ["includeOutboundIPRanges", "includeInboundPorts"]) {
    const v = a[P + key];
    if (v !== undefined && v.trim() !== "*") out[key] = v;
  }
  return out;
}

export const rule: MeshRule = {
  id: "MESH-COV-03",
  title: "Traffic capture exclusions let traffic bypass the sidecar",
  severity: "medium",
  strategy: "PROT-COVER",
  nist: [N.SS13, N.DR1],
  needs: ["istio", "workloads"],
  sidecarOnly: true,
  rationale:
    "traffic.sidecar.istio.io exclusions remove ports or IP ranges from iptables capture: inbound traffic on an " +
    "excluded port skips mTLS and authorization, outbound traffic to an excluded range skips egress policy and " +
    "telemetry.",
  remediation:
    "Remove the exclusion annotations; when a port must bypass (e.g. a node-local agent), exclude only that " +
    "port, protect it with NetworkPolicy and record why.",
  fix: (v) =>
    y({
      apiVersion: "apps/v1",
      kind: v.resource.kind === "Pod" ? "Deployment" : v.resource.kind,
      metadata: { name: v.resource.name, namespace: v.resource.namespace },
      spec: {
        template: {
          metadata: {
            annotations: {
              "traffic.sidecar.istio.io/includeInboundPorts": "*",
              "traffic.sidecar.istio.io/includeOutboundIPRanges": "*",
            },
          },
        },
      },
    }),
  references: [ISTIO_DOCS.annotations, ISTIO_DOCS.security],
  check(ctx) {
    const out: Violation[] = [];
    for (const w of ctx.apps) {
      if (w.dataPlane === "ambient" || w.optOut) continue;
      const ex = exclusions(w);
      if (Object.keys(ex).length === 0) continue;
      out.push({
        resource: wlRef(w),
        affected: [w],
        message: Object.entries(ex)
          .map(([k, v]) => `${k}=${v}`)
          .join("; "),
        evidence: ex,
      });
    }
    return out;
  },
};
