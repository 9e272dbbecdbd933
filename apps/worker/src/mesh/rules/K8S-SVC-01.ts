import { labelsMatch } from "../effective/scope.js";
import { rec, str, strs } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import { isGatewayNamespace } from "./MESH-GW-03.js";
import type { MeshRule, Violation } from "./types.js";
import { meta, objRef, y } from "./util.js";

export const rule: MeshRule = {
  id: "K8S-SVC-01",
  title: "Application Service exposed outside the cluster, bypassing the gateway",
  severity: "medium",
  strategy: "PROT-EDGE",
  nist: [N.SS4],
  needs: ["services"],
  rationale:
    "A NodePort/LoadBalancer Service or externalIPs on an application exposes its pods directly: clients " +
    "skip the ingress gateway's TLS, authentication and rate limits (MS-SS-4: external clients reach " +
    "services only through the gateway).",
  remediation:
    "Make the Service ClusterIP and publish it through the ingress gateway (Gateway + VirtualService).",
  fix: (v) =>
    y({
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(v.resource),
      spec: { type: "ClusterIP", ports: [{ name: "http", port: 80, targetPort: 8080 }] },
    }),
  references: [
    ISTIO_DOCS.gateway,
    "https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types",
  ],
  check(ctx) {
    const out: Violation[] = [];
    const gateways = ctx.inv.workloads.filter((w) => w.gateway);
    for (const s of ctx.inv.of("Service")) {
      const type = str(s.spec.type) ?? "ClusterIP";
      const externalIPs = strs(s.spec.externalIPs);
      if (type !== "NodePort" && type !== "LoadBalancer" && externalIPs.length === 0) continue;
      const ns = s.namespace ?? "";
      if (isGatewayNamespace(ns, ctx.inv.cp.istioNamespace, ctx.root)) continue;
      const sel = Object.fromEntries(Object.entries(rec(s.spec.selector)).map(([k, v]) => [k, String(v)]));
      // a Service in front of gateway pods is the gateway's own exposure
      if (
        Object.keys(sel).length > 0 &&
        gateways.some((g) => g.namespace === ns && labelsMatch(sel, g.labels))
      )
        continue;
      out.push({
        resource: objRef(s),
        message: externalIPs.length > 0 ? `externalIPs ${externalIPs.join(", ")}` : `type ${type}`,
        evidence: { type, externalIPs },
      });
    }
    return out;
  },
};
