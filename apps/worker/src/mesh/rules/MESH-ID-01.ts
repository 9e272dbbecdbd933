import type { Workload } from "../model/workloads.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-ID-01",
  title: "Workload identity shared (several workloads or the default ServiceAccount)",
  severity: "medium",
  strategy: "PROT-MTLS",
  also: ["PROT-AUTHZ"],
  nist: [N.DR11, N.DR18],
  needs: ["istio", "workloads"],
  rationale:
    "An Istio identity is the ServiceAccount (spiffe://<trust-domain>/ns/<ns>/sa/<sa>). Workloads sharing " +
    "one — or using `default` — are indistinguishable to peers and to AuthorizationPolicy principals, so a " +
    "compromise of one grants every permission of the others.",
  remediation: "Give every workload its own ServiceAccount and reference it in the pod template.",
  fix: (v) =>
    y(
      {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name: "<workload-name>", namespace: v.resource.namespace },
      },
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "<workload-name>", namespace: v.resource.namespace },
        spec: {
          template: { spec: { serviceAccountName: "<workload-name>", automountServiceAccountToken: false } },
        },
      },
    ),
  references: [ISTIO_DOCS.security, "https://istio.io/latest/docs/concepts/security/#istio-identity"],
  check(ctx) {
    const bySa = new Map<string, Workload[]>();
    for (const w of ctx.apps) {
      if (w.dataPlane === "none") continue;
      const k = `${w.namespace}/${w.serviceAccount}`;
      bySa.set(k, [...(bySa.get(k) ?? []), w]);
    }
    const out: Violation[] = [];
    for (const [k, ws] of bySa) {
      const [ns, sa] = k.split("/") as [string, string];
      if (sa !== "default" && ws.length < 2) continue;
      out.push({
        resource: { kind: "ServiceAccount", namespace: ns, name: sa },
        affected: ws,
        message:
          sa === "default"
            ? `${ws.length} workload(s) run as the default ServiceAccount of ${ns}`
            : `${ws.length} workloads share ServiceAccount ${sa}`,
        evidence: { serviceAccount: sa, workloads: ws.length },
      });
    }
    return out;
  },
};
