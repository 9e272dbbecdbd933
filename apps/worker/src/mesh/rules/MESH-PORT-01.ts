import { num, recs } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-PORT-01",
  title: "istiod serves debug or xDS in plaintext",
  severity: "low",
  strategy: "PROT-TLS",
  also: ["LP-OPS"],
  nist: [N.SS4],
  needs: ["istio", "istiod"],
  rationale:
    "ENABLE_DEBUG_ON_HTTP (on by default) exposes istiod's /debug endpoints — the full mesh config, " +
    "including every workload's endpoints and policy — on plaintext port 8080, and port 15010 serves xDS " +
    "without TLS; anything that reaches istiod can read them.",
  remediation:
    "Set ENABLE_DEBUG_ON_HTTP=false on istiod (debug stays available via istioctl over 15014/15012), and do not " +
    "expose 15010 on the istiod Service; restrict both with NetworkPolicy.",
  fix: (v) =>
    y({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: v.resource.name, namespace: v.resource.namespace },
      spec: {
        template: {
          spec: {
            containers: [{ name: "discovery", env: [{ name: "ENABLE_DEBUG_ON_HTTP", value: "false" }] }],
          },
        },
      },
    }),
  references: ["https://istio.io/latest/docs/reference/commands/pilot-discovery/", ISTIO_DOCS.security],
  check(ctx) {
    const out: Violation[] = [];
    for (const d of ctx.inv.cp.istiod) {
      const debug = d.env.ENABLE_DEBUG_ON_HTTP !== "false";
      const svc = ctx.inv
        .of("Service")
        .find((s) => s.namespace === d.ref.namespace && (s.name === d.ref.name || s.name === "istiod"));
      const xds = !!svc && recs(svc.spec.ports).some((p) => num(p.port) === 15010);
      if (!debug && !xds) continue;
      out.push({
        resource: d.ref,
        message: [
          debug ? "debug endpoints on plaintext 8080 (ENABLE_DEBUG_ON_HTTP not false)" : null,
          xds ? "plaintext xDS 15010 on the istiod Service" : null,
        ]
          .filter(Boolean)
          .join("; "),
        evidence: { ENABLE_DEBUG_ON_HTTP: d.env.ENABLE_DEBUG_ON_HTTP ?? "unset (true)", plaintextXds: xds },
      });
    }
    return out;
  },
};
