import { strs } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { meshFix, meshRef, objRef } from "./util.js";

const KINDS = ["VirtualService", "DestinationRule", "ServiceEntry"];
const DEFAULTS = [
  "defaultServiceExportTo",
  "defaultVirtualServiceExportTo",
  "defaultDestinationRuleExportTo",
];

export const rule: MeshRule = {
  id: "MESH-EXP-01",
  title: "Routing configuration visible to every namespace (exportTo *)",
  severity: "low",
  strategy: "PROT-EDGE",
  nist: [N.DR2, N.SS3],
  needs: ["istio"],
  rationale:
    "exportTo `*` (the default) makes a VirtualService, DestinationRule or ServiceEntry apply in every " +
    "namespace: one team's routing or TLS setting changes how every other namespace reaches that host, and " +
    "service discovery exposes it mesh-wide.",
  remediation:
    "Export to the namespaces that need the resource (`.` for its own), and set the mesh defaults " +
    '(defaultServiceExportTo, defaultVirtualServiceExportTo, defaultDestinationRuleExportTo) to ["."].',
  fix: (v) =>
    v.resource.kind === "ConfigMap" || v.resource.kind === "IstioOperator" || v.resource.kind === "MeshConfig"
      ? meshFix(null, {
          defaultServiceExportTo: ["."],
          defaultVirtualServiceExportTo: ["."],
          defaultDestinationRuleExportTo: ["."],
        })
      : `# ${v.resource.kind} ${v.resource.namespace}/${v.resource.name}\nspec:\n  exportTo:\n    - "."`,
  references: [
    ISTIO_DOCS.meshConfig,
    "https://istio.io/latest/docs/ops/best-practices/traffic-management/#cross-namespace-configuration",
  ],
  check(ctx) {
    const out: Violation[] = [];
    for (const kind of KINDS) {
      for (const o of ctx.inv.of(kind)) {
        // root-namespace configuration is mesh-wide by design
        if (o.namespace === ctx.root || !strs(o.spec.exportTo).includes("*")) continue;
        out.push({
          resource: objRef(o),
          message: `${kind} exported to every namespace`,
          evidence: { exportTo: ["*"] },
        });
      }
    }
    if (ctx.inv.cp.meshSource) {
      const open = DEFAULTS.filter((k) => {
        const v = strs(ctx.inv.cp.mesh[k]);
        return v.length === 0 || v.includes("*");
      });
      if (open.length > 0) {
        out.push({
          resource: meshRef(ctx),
          message: `${open.join(", ")} unset or "*": resources without exportTo are visible mesh-wide`,
          evidence: { defaults: open },
        });
      }
    } else ctx.partial("MESH-EXP-01", "mesh default exportTo not evaluated: no mesh config in the List");
    return out;
  },
};
