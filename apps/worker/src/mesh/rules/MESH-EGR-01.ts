import { rec, str } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { meshFix, meshRef, meta, objRef, y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-EGR-01",
  title: "Egress open to any destination (outboundTrafficPolicy ALLOW_ANY)",
  severity: "high",
  strategy: "PROT-EDGE",
  nist: [N.DR8],
  needs: ["istio"],
  sidecarOnly: true,
  rationale:
    "With ALLOW_ANY (Istio's default) sidecars pass traffic to any host not in the registry: a compromised " +
    "workload exfiltrates data or reaches command-and-control servers freely. SM-DR8 wants external access " +
    "disabled by default and opened per destination (REGISTRY_ONLY + ServiceEntry).",
  remediation:
    "Set outboundTrafficPolicy.mode REGISTRY_ONLY in the mesh config (and on Sidecars that override it), then " +
    "declare each external dependency with a ServiceEntry. Back it with an egress gateway and NetworkPolicy: " +
    "REGISTRY_ONLY alone is best-effort.",
  fix: (v) =>
    v.resource.kind === "Sidecar"
      ? y({
          apiVersion: "networking.istio.io/v1",
          kind: "Sidecar",
          metadata: meta(v.resource),
          spec: {
            egress: [{ hosts: ["./*", "istio-system/*"] }],
            outboundTrafficPolicy: { mode: "REGISTRY_ONLY" },
          },
        })
      : meshFix(null, { outboundTrafficPolicy: { mode: "REGISTRY_ONLY" } }),
  references: [ISTIO_DOCS.meshConfig, ISTIO_DOCS.egress],
  check(ctx) {
    const out: Violation[] = [];
    const sidecarApps = ctx.apps.filter((w) => w.dataPlane === "sidecar");
    if (ctx.inv.cp.meshSource) {
      const mode = str(rec(ctx.inv.cp.mesh.outboundTrafficPolicy).mode)?.toUpperCase() ?? null;
      if (mode !== "REGISTRY_ONLY") {
        out.push({
          resource: meshRef(ctx),
          affected: sidecarApps.filter((w) => ctx.effective(w).outbound === "ALLOW_ANY"),
          message: mode ? `outboundTrafficPolicy.mode is ${mode}` : "outboundTrafficPolicy unset (ALLOW_ANY)",
          evidence: { mode: mode ?? "unset" },
        });
      }
    } else {
      ctx.partial("MESH-EGR-01", "mesh-wide outboundTrafficPolicy not evaluated: no mesh config in the List");
    }
    for (const sc of ctx.resolver.indexes.sidecar.all()) {
      const mode = str(rec(sc.obj.spec.outboundTrafficPolicy).mode)?.toUpperCase();
      if (mode !== "ALLOW_ANY") continue;
      out.push({
        resource: objRef(sc.obj),
        affected: sidecarApps.filter((w) => ctx.effective(w).sidecar === sc),
        message: "Sidecar overrides outboundTrafficPolicy to ALLOW_ANY",
        evidence: { mode },
      });
    }
    return out;
  },
};
