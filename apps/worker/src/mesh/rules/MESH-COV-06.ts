import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { wlRef, y } from "./util.js";

export const PROXY_UID = 1337;

export const rule: MeshRule = {
  id: "MESH-COV-06",
  title: "Application container runs as the proxy's UID 1337",
  severity: "high",
  strategy: "PROT-COVER",
  nist: [N.SS13],
  needs: ["istio", "workloads"],
  sidecarOnly: true,
  rationale:
    "iptables capture exempts traffic from UID 1337 so the proxy does not loop; an application container " +
    "running as 1337 is exempted too — its outbound traffic leaves without mTLS, egress policy or telemetry.",
  remediation: "Run the application as another non-root UID.",
  fix: (v) =>
    y({
      apiVersion: "apps/v1",
      kind: v.resource.kind === "Pod" ? "Deployment" : v.resource.kind,
      metadata: { name: v.resource.name, namespace: v.resource.namespace },
      spec: {
        template: {
          spec: {
            containers: [
              { name: v.container ?? "app", securityContext: { runAsUser: 10001, runAsNonRoot: true } },
            ],
          },
        },
      },
    }),
  references: [ISTIO_DOCS.appRequirements, "https://istio.io/latest/docs/reference/config/analysis/ist0144/"],
  check(ctx) {
    const out: Violation[] = [];
    for (const w of ctx.apps) {
      if (w.dataPlane !== "sidecar") continue;
      for (const c of w.containers) {
        if (c.runAsUser !== PROXY_UID) continue;
        out.push({
          resource: wlRef(w),
          container: c.name,
          affected: [w],
          message: `container ${c.name} runs as UID 1337`,
        });
      }
    }
    return out;
  },
};
