import { ISTIO_DOCS, N } from "../nist.js";
import { grantViolations, WRITE } from "./rbac.js";
import type { MeshRule } from "./types.js";
import { y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-RBAC-02",
  title: "Non-platform subjects may edit mesh edge configuration",
  severity: "high",
  strategy: "LP-OPS",
  nist: [N.A48],
  needs: ["istio", "rbac"],
  rationale:
    "Gateways expose hosts to the internet, ServiceEntries open egress, Sidecars and EnvoyFilters rewrite what " +
    "proxies do (an EnvoyFilter can remove the RBAC filter), Telemetry decides what is logged: editing them " +
    "is a platform right. Istio recommends restricting Gateway creation explicitly.",
  remediation:
    "Remove write verbs on these resources from application roles; let teams own VirtualServices and DestinationRules only.",
  fix: (v) =>
    y({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: {
        name: String(v.evidence?.roleRef ?? "app-role")
          .split("/")
          .pop(),
      },
      rules: [
        {
          apiGroups: ["networking.istio.io"],
          resources: ["virtualservices", "destinationrules"],
          verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
        },
        {
          apiGroups: ["networking.istio.io"],
          resources: ["gateways", "serviceentries", "sidecars", "envoyfilters"],
          verbs: ["get", "list", "watch"],
        },
      ],
    }),
  references: [
    ISTIO_DOCS.rbac,
    "https://istio.io/latest/docs/ops/best-practices/security/#restrict-gateway-creation-privileges",
  ],
  check: (ctx) =>
    grantViolations(
      ctx,
      [
        {
          groups: ["networking.istio.io"],
          resources: ["gateways", "serviceentries", "sidecars", "envoyfilters", "workloadentries"],
          verbs: WRITE,
        },
        { groups: ["telemetry.istio.io"], resources: ["telemetries"], verbs: WRITE },
        { groups: ["gateway.networking.k8s.io"], resources: ["gateways"], verbs: WRITE },
      ],
      "write Gateways, ServiceEntries, Sidecars, EnvoyFilters or Telemetry",
    ),
};
