import type { Scoped } from "../effective/scope.js";
import { recs, strs } from "../model/objects.js";
import type { Workload } from "../model/workloads.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { hostPart, nsRef, y } from "./util.js";

/** A Sidecar limits what its proxies see when every egress listener names hosts narrower than `*`. */
export function scopes(sc: Scoped | null): boolean {
  if (!sc) return false;
  const egress = recs(sc.obj.spec.egress);
  return (
    egress.length > 0 &&
    egress.every((e) => {
      const hosts = strs(e.hosts);
      return hosts.length > 0 && !hosts.some((h) => hostPart(h) === "*" && h.startsWith("*"));
    })
  );
}

export const rule: MeshRule = {
  id: "MESH-SC-01",
  title: "Namespace without Sidecar egress scoping",
  severity: "low",
  strategy: "PROT-EDGE",
  nist: [N.DR2],
  needs: ["istio", "workloads"],
  sidecarOnly: true,
  rationale:
    "Without a Sidecar resource, every proxy receives the configuration of every service in the mesh and can " +
    "reach all of them; SM-DR2 asks to limit the set of services a proxy can reach (and it shrinks proxy " +
    "memory and push load as a bonus).",
  remediation:
    "Add a default Sidecar (no workloadSelector) per namespace — or one in the root namespace as the mesh " +
    "default — listing the namespaces the workloads actually call.",
  fix: (v) =>
    y({
      apiVersion: "networking.istio.io/v1",
      kind: "Sidecar",
      metadata: { name: "default", namespace: v.resource.name },
      spec: {
        egress: [{ hosts: ["./*", "istio-system/*"] }],
        outboundTrafficPolicy: { mode: "REGISTRY_ONLY" },
      },
    }),
  references: [ISTIO_DOCS.sidecar],
  check(ctx) {
    const open = new Map<string, Workload[]>();
    for (const w of ctx.apps) {
      if (w.dataPlane !== "sidecar" || scopes(ctx.effective(w).sidecar)) continue;
      open.set(w.namespace, [...(open.get(w.namespace) ?? []), w]);
    }
    const out: Violation[] = [];
    for (const [ns, ws] of [...open].sort(([a], [b]) => (a < b ? -1 : 1))) {
      out.push({
        resource: nsRef(ns),
        affected: ws,
        message: `${ws.length} sidecar workload(s) in ${ns} see and reach every service of the mesh`,
      });
    }
    return out;
  },
};
