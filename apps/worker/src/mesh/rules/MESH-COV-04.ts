import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { wlRef, y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-COV-04",
  title: "Host-network pod in a meshed namespace",
  severity: "high",
  strategy: "PROT-COVER",
  also: ["LP-CTR"],
  nist: [N.SS13],
  needs: ["istio", "workloads"],
  rationale:
    "Pods with hostNetwork: true are never injected nor captured: they talk to mesh services without a mesh " +
    "identity and listen on the node's interfaces, outside every mesh policy of the namespace.",
  remediation:
    "Run the workload on the pod network (hostNetwork: false) so it is meshed, or move it to a platform namespace.",
  fix: (v) =>
    y({
      apiVersion: "apps/v1",
      kind: v.resource.kind === "Pod" ? "Deployment" : v.resource.kind,
      metadata: { name: v.resource.name, namespace: v.resource.namespace },
      spec: { template: { spec: { hostNetwork: false } } },
    }),
  references: [ISTIO_DOCS.appRequirements],
  check(ctx) {
    const out: Violation[] = [];
    for (const w of ctx.apps) {
      if (!w.hostNetwork) continue;
      const l = ctx.inv.namespaces.get(w.namespace)?.labels ?? {};
      const meshed =
        l["istio-injection"] === "enabled" ||
        (!!l["istio.io/rev"] && l["istio-injection"] !== "disabled") ||
        l["istio.io/dataplane-mode"] === "ambient";
      if (!meshed) continue;
      out.push({
        resource: wlRef(w),
        affected: [w],
        message: `hostNetwork pod in meshed namespace ${w.namespace}`,
      });
    }
    return out;
  },
};
