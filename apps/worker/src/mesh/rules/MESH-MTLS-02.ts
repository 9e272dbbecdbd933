import { declaredMode } from "../effective/peer-auth.js";
import { rec } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { affectedBy, meta, objRef, y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-MTLS-02",
  title: "PeerAuthentication weakens mTLS (PERMISSIVE or DISABLE override)",
  severity: "medium",
  strategy: "PROT-MTLS",
  nist: [N.SS4, N.DR6, N.DR16, N.APE3],
  needs: ["istio"],
  bundle: "no-weaker-peer-authentication",
  rationale:
    "A namespace or workload PeerAuthentication (or a portLevelMtls entry) set to PERMISSIVE or DISABLE " +
    "overrides the mesh-wide mode: the selected workloads or ports accept plaintext from any caller, and " +
    "DISABLE removes mutual authentication entirely.",
  remediation:
    "Set the override to STRICT (or delete it so the mesh-wide STRICT applies). If a port must take plaintext " +
    "(a legacy health checker, a non-mesh client), keep the exception to that single port and track it.",
  fix: (v) =>
    y({
      apiVersion: "security.istio.io/v1",
      kind: "PeerAuthentication",
      metadata: meta(v.resource),
      spec: {
        ...(v.evidence?.selector ? { selector: { matchLabels: v.evidence.selector } } : {}),
        mtls: { mode: "STRICT" },
      },
    }),
  references: [ISTIO_DOCS.peerAuthn],
  check(ctx) {
    const out: Violation[] = [];
    const index = ctx.resolver.indexes.peer;
    for (const p of index.all()) {
      // the mesh-wide policy is MESH-MTLS-01's subject
      if (p.obj.namespace === ctx.root && !p.selector) continue;
      const mode = declaredMode(p.obj.spec.mtls);
      const weakPorts = Object.entries(rec(p.obj.spec.portLevelMtls))
        .map(([port, v]) => [port, declaredMode(v)] as const)
        .filter(([, m]) => m === "PERMISSIVE" || m === "DISABLE");
      const weakMode = mode === "PERMISSIVE" || mode === "DISABLE";
      if (!weakMode && weakPorts.length === 0) continue;
      const disable = mode === "DISABLE" || weakPorts.some(([, m]) => m === "DISABLE");
      out.push({
        resource: objRef(p.obj),
        affected: affectedBy(ctx, index, p),
        severity: disable ? "high" : "medium",
        message: [
          weakMode ? `mode ${mode}` : null,
          weakPorts.length > 0 ? `port(s) ${weakPorts.map(([port, m]) => `${port}=${m}`).join(", ")}` : null,
        ]
          .filter(Boolean)
          .join("; "),
        evidence: { mode, weakPorts: Object.fromEntries(weakPorts), selector: p.selector },
      });
    }
    return out;
  },
};
