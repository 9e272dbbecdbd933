import { NIST } from "@bulwark/schema";

/**
 * Citations used by the mesh rules: only identifiers marked H or M in
 * shared/reference/nist-800-204-taxonomy.md, section-level citations otherwise (TAXONOMY.md).
 * MS-SS-12 (L) and 800-204A SM-DR3…5, 7, 9, 10, 14, 17, 19…23 (L/?) are deliberately absent.
 */
export const N = NIST;

export const ISTIO_DOCS = {
  security: "https://istio.io/latest/docs/ops/best-practices/security/",
  peerAuthn: "https://istio.io/latest/docs/reference/config/security/peer_authentication/",
  authz: "https://istio.io/latest/docs/reference/config/security/authorization-policy/",
  requestAuthn: "https://istio.io/latest/docs/reference/config/security/request_authentication/",
  meshConfig: "https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/",
  destinationRule: "https://istio.io/latest/docs/reference/config/networking/destination-rule/",
  gateway: "https://istio.io/latest/docs/reference/config/networking/gateway/",
  virtualService: "https://istio.io/latest/docs/reference/config/networking/virtual-service/",
  serviceEntry: "https://istio.io/latest/docs/reference/config/networking/service-entry/",
  sidecar: "https://istio.io/latest/docs/reference/config/networking/sidecar/",
  telemetry: "https://istio.io/latest/docs/reference/config/telemetry/",
  injection: "https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/",
  annotations: "https://istio.io/latest/docs/reference/config/annotations/",
  pluginCa: "https://istio.io/latest/docs/tasks/security/cert-management/plugin-ca-cert/",
  egress: "https://istio.io/latest/docs/tasks/traffic-management/egress/",
  appRequirements: "https://istio.io/latest/docs/ops/deployment/application-requirements/",
  cni: "https://istio.io/latest/docs/setup/additional-setup/cni/",
  networkPolicy: "https://kubernetes.io/docs/concepts/services-networking/network-policies/",
  rbac: "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
} as const;
