import { ISTIO_GROUP } from "../model/objects.js";
import { N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { objRef } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-ALPHA-01",
  title: "Istio configuration on an alpha API",
  severity: "info",
  strategy: "INT-VULN",
  nist: [N.SS9],
  needs: ["istio"],
  rationale:
    "Alpha APIs (networking.istio.io/v1alpha3, config.istio.io/v1alpha2, *.v1alpha1) carry weaker compatibility " +
    "and security guarantees and are removed or changed between releases; removed kinds silently stop applying.",
  remediation:
    "Move the resource to the v1 (or v1beta1) API; replace removed kinds (QuotaSpec, policy/v1alpha1) with their successors.",
  fix: (v) =>
    `# ${v.resource.kind} ${v.resource.namespace ?? ""}/${v.resource.name}\napiVersion: ${String(v.evidence?.suggested ?? "networking.istio.io/v1")}`,
  references: [
    "https://istio.io/latest/docs/reference/config/analysis/ist0136/",
    "https://istio.io/latest/docs/releases/feature-stages/",
  ],
  check(ctx) {
    const out: Violation[] = [];
    for (const o of ctx.inv.objects) {
      if (!ISTIO_GROUP.test(o.group) || !/alpha/.test(o.version) || o.kind === "IstioOperator") continue;
      // EnvoyFilter and WasmPlugin exist only as alpha APIs: nothing to move them to
      if (o.kind === "EnvoyFilter" || o.kind === "WasmPlugin") continue;
      out.push({
        resource: objRef(o),
        message: `${o.kind} served from ${o.apiVersion}`,
        evidence: { apiVersion: o.apiVersion, suggested: `${o.group}/v1` },
      });
    }
    return out;
  },
};
