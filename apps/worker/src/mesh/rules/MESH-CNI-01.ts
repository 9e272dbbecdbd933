import { N } from "../nist.js";
import type { MeshRule } from "./types.js";
import { meshRef, y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-CNI-01",
  title: "Sidecars set up traffic capture with the privileged istio-init container",
  severity: "medium",
  strategy: "LP-CTR",
  nist: [N.AHLC1],
  needs: ["istio", "workloads"],
  sidecarOnly: true,
  rationale:
    "Without the Istio CNI plugin every meshed pod runs istio-init with NET_ADMIN and NET_RAW: application " +
    "namespaces must admit privileged init containers, which weakens Pod Security for everyone.",
  remediation:
    "Install the Istio CNI node agent (or move to ambient mode) so pods need no elevated capabilities.",
  fix: () =>
    `# Helm: install the istio/cni chart and set pilot.cni.enabled=true; then restart the workloads\n${y({
      apiVersion: "install.istio.io/v1alpha1",
      kind: "IstioOperator",
      spec: { components: { cni: { enabled: true } }, values: { cni: { repair: { enabled: true } } } },
    })}`,
  references: ["https://istio.io/latest/docs/setup/additional-setup/cni/"],
  check(ctx) {
    const withInit = ctx.inv.workloads.filter((w) => w.initContainers.includes("istio-init"));
    if (withInit.length === 0) return [];
    return [
      {
        resource: ctx.inv.cp.istiod[0]?.ref ?? meshRef(ctx),
        affected: withInit,
        message: `${withInit.length} workload(s) use the istio-init container`,
      },
    ];
  },
};
