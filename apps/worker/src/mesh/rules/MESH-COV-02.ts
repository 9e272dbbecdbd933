import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { wlRef, y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-COV-02",
  title: "Workload runs without its sidecar (opted out or not injected)",
  severity: "high",
  strategy: "PROT-COVER",
  nist: [N.DR1, N.SS13],
  needs: ["istio", "workloads"],
  sidecarOnly: true,
  bundle: "sidecar-always-injected",
  rationale:
    'A pod with `sidecar.istio.io/inject: "false"`, or a running pod without istio-proxy in a namespace ' +
    "that injects (created before injection was enabled, or the webhook failed), is outside mTLS and " +
    "authorization while its neighbours trust the mesh to protect them.",
  remediation:
    "Remove the opt-out (label and annotation) and restart the workload so the injector adds the proxy; for " +
    "pods that cannot run a sidecar, enroll them in ambient mode instead.",
  fix: (v) =>
    y({
      apiVersion: "apps/v1",
      kind: v.resource.kind === "Pod" ? "Deployment" : v.resource.kind,
      metadata: { name: v.resource.name, namespace: v.resource.namespace },
      spec: { template: { metadata: { labels: { "sidecar.istio.io/inject": "true" } } } },
    }),
  references: [ISTIO_DOCS.injection, "https://istio.io/latest/docs/reference/config/analysis/ist0103/"],
  check(ctx) {
    const out: Violation[] = [];
    for (const w of ctx.apps) {
      if (w.dataPlane !== "none" || w.hostNetwork) continue;
      if (w.optOut) {
        out.push({
          resource: wlRef(w),
          affected: [w],
          message: "opted out with sidecar.istio.io/inject=false",
          evidence: { reason: "opt-out" },
        });
      } else if (w.pods > 0 && w.injectionExpected) {
        out.push({
          resource: wlRef(w),
          affected: [w],
          message:
            "running without istio-proxy although its namespace injects (restart needed or webhook failure)",
          evidence: { reason: "not-injected" },
        });
      }
    }
    return out;
  },
};
