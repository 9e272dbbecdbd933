import { N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { wlRef, y } from "./util.js";

export const rule: MeshRule = {
  id: "K8S-PROBE-01",
  title: "Containers without readiness or liveness probes",
  severity: "low",
  strategy: "RES-LB",
  nist: [N.SS7],
  needs: ["workloads"],
  rationale:
    "Without a readiness probe, a replica receives traffic before it can serve (and keeps receiving it when it " +
    "cannot); without a liveness probe a hung process is never restarted. Load balancing then relies on " +
    "failures instead of health checks (MS-SS-7).",
  remediation:
    "Add readiness and liveness probes to every long-running container (the sidecar rewrites HTTP probes for mTLS).",
  fix: (v) =>
    y({
      apiVersion: "apps/v1",
      kind: v.resource.kind === "Pod" ? "Deployment" : v.resource.kind,
      metadata: { name: v.resource.name, namespace: v.resource.namespace },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: (v.evidence?.containers as string[] | undefined)?.[0] ?? "app",
                readinessProbe: { httpGet: { path: "/ready", port: 8080 }, periodSeconds: 5 },
                livenessProbe: { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 10 },
              },
            ],
          },
        },
      },
    }),
  references: [
    "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/",
  ],
  check(ctx) {
    const out: Violation[] = [];
    for (const w of ctx.apps) {
      // batch workloads run to completion: probes do not apply
      if (w.batch) continue;
      const missing = w.containers.filter((c) => !c.readiness || !c.liveness);
      if (missing.length === 0) continue;
      out.push({
        resource: wlRef(w),
        affected: [w],
        message: missing
          .map(
            (c) =>
              `${c.name || "?"}: ${[!c.readiness ? "readiness" : null, !c.liveness ? "liveness" : null].filter(Boolean).join("+")}`,
          )
          .join("; "),
        evidence: { containers: missing.map((c) => c.name) },
      });
    }
    return out;
  },
};
