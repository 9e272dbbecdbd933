import { ISTIO_DOCS, N } from "../nist.js";
import { bindings, type Grant, ruleGrants, WRITE } from "./rbac.js";
import type { MeshRule, Violation } from "./types.js";
import { objRef, y } from "./util.js";

const IN_ISTIO_NS: Grant[] = [
  { groups: [""], resources: ["pods", "pods/exec"], verbs: ["create"] },
  { groups: ["apps"], resources: ["deployments", "daemonsets", "statefulsets", "replicasets"], verbs: WRITE },
  { groups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] },
  { groups: [""], resources: ["configmaps"], verbs: WRITE },
];
const CLUSTER: Grant[] = [
  {
    groups: ["admissionregistration.k8s.io"],
    resources: ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"],
    verbs: WRITE,
  },
];

export const rule: MeshRule = {
  id: "MESH-RBAC-03",
  title: "Non-platform subjects hold control-plane rights (Istio namespace or injector webhooks)",
  severity: "high",
  strategy: "LP-OPS",
  also: ["PROT-COVER"],
  nist: [N.A48, N.DR12],
  needs: ["istio", "rbac"],
  rationale:
    "Creating pods or reading secrets in the Istio namespace exposes the CA key and istiod's credentials; " +
    "editing the istio ConfigMap rewrites mesh-wide policy; editing the injector webhooks turns injection off. " +
    "Each hands over the whole mesh.",
  remediation:
    "Confine these verbs to the platform team's ServiceAccounts; application roles get nothing in the Istio namespace.",
  fix: (v) =>
    y({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: v.resource.kind,
      metadata: {
        name: v.resource.name,
        ...(v.resource.namespace ? { namespace: v.resource.namespace } : {}),
        labels: { "bulwark.dev/platform": "true" },
      },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "istio-platform-admin" },
      subjects: [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "platform-team" }],
    }),
  references: [ISTIO_DOCS.rbac, ISTIO_DOCS.security],
  check(ctx) {
    const istioNs = ctx.inv.cp.istioNamespace;
    const out: Violation[] = [];
    for (const b of bindings(ctx)) {
      const reach = b.scope === null || b.scope === istioNs;
      const what = [
        reach && IN_ISTIO_NS.some((g) => ruleGrants(b.rules, g))
          ? `workloads, secrets or ConfigMaps in ${istioNs}`
          : null,
        b.scope === null && CLUSTER.some((g) => ruleGrants(b.rules, g)) ? "admission webhooks" : null,
      ].filter((x): x is string => x !== null);
      if (what.length === 0) continue;
      out.push({
        resource: objRef(b.obj),
        message: `${b.roleRef} lets ${b.subjects.slice(0, 5).join(", ")} change ${what.join(" and ")}`,
        evidence: {
          roleRef: b.roleRef,
          subjects: b.subjects.slice(0, 20),
          scope: b.scope ?? "cluster",
          rights: what,
        },
      });
    }
    return out;
  },
};
