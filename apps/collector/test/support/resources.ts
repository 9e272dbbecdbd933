/** The resources the fake API server serves, shaped as a real server's discovery describes them. */
export interface ServedResource {
  group: string;
  /** versions the group serves this resource in */
  versions: string[];
  resource: string;
  kind: string;
  namespaced: boolean;
}

export interface ServedGroup {
  name: string;
  /** in the server's priority order; the first is the preferred version */
  versions: string[];
}

const r = (
  group: string,
  versions: string[],
  resource: string,
  kind: string,
  namespaced = true,
): ServedResource => ({
  group,
  versions,
  resource,
  kind,
  namespaced,
});
const ISTIO = ["v1", "v1beta1", "v1alpha3"];
const TRIVY = ["v1alpha1"];

export const GROUPS: ServedGroup[] = [
  { name: "", versions: ["v1"] },
  { name: "apps", versions: ["v1"] },
  { name: "networking.k8s.io", versions: ["v1"] },
  { name: "rbac.authorization.k8s.io", versions: ["v1"] },
  { name: "admissionregistration.k8s.io", versions: ["v1"] },
  { name: "security.istio.io", versions: ["v1", "v1beta1"] },
  { name: "networking.istio.io", versions: ISTIO },
  { name: "telemetry.istio.io", versions: ["v1", "v1alpha1"] },
  { name: "aquasecurity.github.io", versions: TRIVY },
];

export const RESOURCES: ServedResource[] = [
  r("", ["v1"], "namespaces", "Namespace", false),
  r("", ["v1"], "pods", "Pod"),
  r("", ["v1"], "services", "Service"),
  r("", ["v1"], "serviceaccounts", "ServiceAccount"),
  r("", ["v1"], "configmaps", "ConfigMap"),
  r("", ["v1"], "secrets", "Secret"),
  r("", ["v1"], "nodes", "Node", false),
  r("apps", ["v1"], "deployments", "Deployment"),
  r("networking.k8s.io", ["v1"], "networkpolicies", "NetworkPolicy"),
  r("rbac.authorization.k8s.io", ["v1"], "roles", "Role"),
  r("rbac.authorization.k8s.io", ["v1"], "rolebindings", "RoleBinding"),
  r("rbac.authorization.k8s.io", ["v1"], "clusterroles", "ClusterRole", false),
  r("rbac.authorization.k8s.io", ["v1"], "clusterrolebindings", "ClusterRoleBinding", false),
  r(
    "admissionregistration.k8s.io",
    ["v1"],
    "mutatingwebhookconfigurations",
    "MutatingWebhookConfiguration",
    false,
  ),
  r(
    "admissionregistration.k8s.io",
    ["v1"],
    "validatingwebhookconfigurations",
    "ValidatingWebhookConfiguration",
    false,
  ),
  r("security.istio.io", ["v1", "v1beta1"], "peerauthentications", "PeerAuthentication"),
  r("security.istio.io", ["v1", "v1beta1"], "authorizationpolicies", "AuthorizationPolicy"),
  r("security.istio.io", ["v1", "v1beta1"], "requestauthentications", "RequestAuthentication"),
  r("networking.istio.io", ISTIO, "gateways", "Gateway"),
  r("networking.istio.io", ISTIO, "virtualservices", "VirtualService"),
  r("networking.istio.io", ISTIO, "destinationrules", "DestinationRule"),
  r("networking.istio.io", ISTIO, "serviceentries", "ServiceEntry"),
  r("networking.istio.io", ISTIO, "sidecars", "Sidecar"),
  r("networking.istio.io", ISTIO, "workloadentries", "WorkloadEntry"),
  // EnvoyFilter has only ever been served as v1alpha3: the collector must look past the preferred version
  r("networking.istio.io", ["v1alpha3"], "envoyfilters", "EnvoyFilter"),
  r("telemetry.istio.io", ["v1", "v1alpha1"], "telemetries", "Telemetry"),
  r("aquasecurity.github.io", TRIVY, "vulnerabilityreports", "VulnerabilityReport"),
  r("aquasecurity.github.io", TRIVY, "configauditreports", "ConfigAuditReport"),
  r("aquasecurity.github.io", TRIVY, "exposedsecretreports", "ExposedSecretReport"),
  r("aquasecurity.github.io", TRIVY, "rbacassessmentreports", "RbacAssessmentReport"),
  r("aquasecurity.github.io", TRIVY, "infraassessmentreports", "InfraAssessmentReport"),
  r("aquasecurity.github.io", TRIVY, "clustervulnerabilityreports", "ClusterVulnerabilityReport", false),
  r("aquasecurity.github.io", TRIVY, "clusterconfigauditreports", "ClusterConfigAuditReport", false),
  r("aquasecurity.github.io", TRIVY, "clusterrbacassessmentreports", "ClusterRbacAssessmentReport", false),
  r("aquasecurity.github.io", TRIVY, "clusterinfraassessmentreports", "ClusterInfraAssessmentReport", false),
  r("aquasecurity.github.io", TRIVY, "clustercompliancereports", "ClusterComplianceReport", false),
];

/** "pods", "roles.rbac.authorization.k8s.io": how tests name a resource. */
export function resourceKey(x: { group: string; resource: string }): string {
  return x.group ? `${x.resource}.${x.group}` : x.resource;
}
