import { isSystemNamespace } from "../model/workloads.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { appsInNamespace, nsRef, y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-COV-01",
  title: "Namespace not enrolled in the mesh (injection disabled or unlabelled)",
  severity: "high",
  strategy: "PROT-COVER",
  nist: [N.DR1, N.SS13],
  needs: ["istio", "namespaces"],
  sidecarOnly: true,
  bundle: "sidecar-always-injected",
  rationale:
    "Pods of a namespace without `istio-injection=enabled`, an `istio.io/rev` label or ambient enrollment " +
    "get no proxy: no mTLS, no authorization, no telemetry. Enforcement that can be skipped by deploying " +
    "into another namespace is not non-bypassable (800-204B).",
  remediation:
    "Label the namespace for injection (or ambient), then restart its workloads; keep opt-outs per workload " +
    "and documented.",
  fix: (v) =>
    y({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: v.resource.name, labels: { "istio-injection": "enabled" } },
    }),
  references: [ISTIO_DOCS.injection, "https://istio.io/latest/docs/reference/config/analysis/ist0102/"],
  check(ctx) {
    const out: Violation[] = [];
    const { istioNamespace } = ctx.inv.cp;
    for (const ns of ctx.inv.namespaces.values()) {
      if (!ns.listed || isSystemNamespace(ns.name, istioNamespace, ctx.root)) continue;
      const l = ns.labels;
      if (l["istio.io/dataplane-mode"] === "ambient") continue;
      const injection = l["istio-injection"];
      if (injection === "enabled" || (l["istio.io/rev"] && injection !== "disabled")) continue;
      const apps = appsInNamespace(ctx, ns.name);
      const outside = apps.filter((w) => w.dataPlane === "none" && !w.hostNetwork);
      // every workload is meshed anyway (object-selector injection): the label gap is not exposure today
      if (apps.length > 0 && outside.length === 0) continue;
      out.push({
        resource: nsRef(ns.name),
        affected: outside,
        severity: outside.length > 0 ? "high" : "medium",
        message:
          injection === "disabled"
            ? `namespace ${ns.name} has istio-injection=disabled`
            : `namespace ${ns.name} has no injection label and is not ambient`,
        evidence: { istioInjection: injection ?? null, revision: l["istio.io/rev"] ?? null },
      });
    }
    return out;
  },
};
