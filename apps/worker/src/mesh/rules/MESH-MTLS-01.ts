import { declaredMode } from "../effective/peer-auth.js";
import { oldestFirst } from "../effective/scope.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule } from "./types.js";
import { nsRef, objRef, y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-MTLS-01",
  title: "No mesh-wide STRICT mTLS",
  severity: "high",
  strategy: "PROT-MTLS",
  nist: [N.SS4, N.DR6, N.DR16, N.APE3],
  needs: ["istio"],
  bundle: "mesh-strict-mtls",
  rationale:
    "Without a selector-less PeerAuthentication in the root namespace set to STRICT, Istio's default is " +
    "PERMISSIVE: every workload still accepts plaintext, so any pod (or anything that reaches a pod IP) can " +
    "call services without a mesh identity and identity-based authorization can be bypassed.",
  remediation:
    "Create (or change) the mesh-wide PeerAuthentication in the root namespace with mode STRICT, after " +
    "checking that every client is meshed (Kiali / istioctl x describe show plaintext callers).",
  fix: (v) =>
    y({
      apiVersion: "security.istio.io/v1",
      kind: "PeerAuthentication",
      metadata: {
        name: v.resource.kind === "PeerAuthentication" ? v.resource.name : "default",
        namespace: v.resource.namespace,
      },
      spec: { mtls: { mode: "STRICT" } },
    }),
  references: [ISTIO_DOCS.peerAuthn, ISTIO_DOCS.security],
  check(ctx) {
    const mesh = ctx.resolver.indexes.peer
      .inNamespace(ctx.root)
      .filter((p) => !p.selector && p.targetRefs.length === 0)
      .sort(oldestFirst)[0];
    const mode = mesh ? declaredMode(mesh.obj.spec.mtls) : null;
    if (mode === "STRICT") return [];
    const affected = ctx.apps.filter((w) => !ctx.effective(w).peer.strictAllPorts);
    return [
      {
        resource: mesh ? objRef(mesh.obj) : nsRef(ctx.root),
        affected,
        message: mesh
          ? `the mesh-wide PeerAuthentication sets mode ${mode === "UNSET" ? "UNSET (PERMISSIVE)" : mode}`
          : `no mesh-wide PeerAuthentication in the root namespace ${ctx.root}: the default is PERMISSIVE`,
        evidence: { rootNamespace: ctx.root, mode: mode ?? "absent" },
      },
    ];
  },
};
