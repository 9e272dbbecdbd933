import { ISTIO_DOCS, N } from "../nist.js";
import { grantViolations, WRITE } from "./rbac.js";
import type { MeshRule } from "./types.js";
import { y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-RBAC-01",
  title: "Non-platform subjects may edit mesh security policies",
  severity: "high",
  strategy: "LP-OPS",
  nist: [N.A48],
  needs: ["istio", "rbac"],
  rationale:
    "Whoever can write PeerAuthentication, AuthorizationPolicy or RequestAuthentication can switch mTLS to " +
    "DISABLE or allow-all a workload: these rights belong to the platform/security team only (800-204A §4.8).",
  remediation:
    "Remove write verbs on security.istio.io from application roles (keep get/list/watch); route changes through " +
    "the platform team's GitOps pipeline.",
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
          apiGroups: ["security.istio.io"],
          resources: ["peerauthentications", "authorizationpolicies", "requestauthentications"],
          verbs: ["get", "list", "watch"],
        },
      ],
    }),
  references: [ISTIO_DOCS.rbac, ISTIO_DOCS.security],
  check: (ctx) =>
    grantViolations(
      ctx,
      [
        {
          groups: ["security.istio.io"],
          resources: ["peerauthentications", "authorizationpolicies", "requestauthentications"],
          verbs: WRITE,
        },
      ],
      "write security.istio.io policies",
    ),
};
