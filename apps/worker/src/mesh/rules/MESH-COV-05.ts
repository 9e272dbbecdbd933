import { rec, str } from "../model/objects.js";
import { N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { wlRef, y } from "./util.js";

/** `registry/proxyv2:1.22.3-distroless` → `1.22.3`; null for `auto` and untagged images. */
export function istioVersion(image: string | null | undefined): string | null {
  const m = /:(\d+\.\d+(?:\.\d+)?)(?:[-@].*)?$/.exec(image ?? "");
  return m?.[1] ?? null;
}

export const rule: MeshRule = {
  id: "MESH-COV-05",
  title: "Stale sidecar proxy (version differs from the control plane)",
  severity: "medium",
  strategy: "INT-VULN",
  nist: [N.SS9],
  needs: ["istio", "workloads"],
  sidecarOnly: true,
  rationale:
    "After a control-plane upgrade, pods keep the proxy they were injected with until restarted: an old Envoy " +
    "with known CVEs, and a version skew istiod supports only within limits.",
  remediation: "Restart the workload (kubectl rollout restart) so the injector gives it the current proxy.",
  fix: (v) =>
    `# kubectl -n ${v.resource.namespace} rollout restart ${v.resource.kind.toLowerCase()}/${v.resource.name}\n${y(
      {
        apiVersion: "apps/v1",
        kind: v.resource.kind,
        metadata: { name: v.resource.name, namespace: v.resource.namespace },
        spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "<now>" } } } },
      },
    )}`,
  references: [
    "https://istio.io/latest/docs/reference/config/analysis/ist0158/",
    "https://istio.io/latest/docs/setup/upgrade/",
  ],
  check(ctx) {
    const byRevision = new Map(ctx.inv.cp.istiod.map((d) => [d.revision, istioVersion(d.image)]));
    const fallback =
      ctx.inv.cp.istiod.map((d) => istioVersion(d.image)).find(Boolean) ??
      str(rec(ctx.inv.cp.injectorValues.global).tag) ??
      null;
    if (!fallback) {
      ctx.partial(
        "MESH-COV-05",
        "no control-plane version in the List (istiod Deployment or injector values)",
      );
      return [];
    }
    const out: Violation[] = [];
    for (const w of ctx.inv.workloads) {
      if (w.system && !w.gateway) continue;
      if (w.pods === 0) continue;
      const want = byRevision.get(w.labels["istio.io/rev"] ?? "default") ?? fallback;
      const stale = w.proxyImages.map(istioVersion).filter((v): v is string => v !== null && v !== want);
      const proxy = stale[0];
      if (!proxy) continue;
      out.push({
        resource: wlRef(w),
        affected: [w],
        message: `istio-proxy ${proxy}, control plane ${want}`,
        evidence: { proxy, controlPlane: want },
      });
    }
    return out;
  },
};
