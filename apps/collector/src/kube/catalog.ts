/**
 * What the collector reads, per upload. The chart's ClusterRole and Role (infra/helm/bulwark-collector)
 * grant exactly these resources; keep the two in step (scripts/check-charts.ts compares them).
 */
export type UploadSource = "trivy-operator" | "mesh-config";

export interface CatalogEntry {
  upload: UploadSource;
  /** API group; "" is the core group (/api/v1) */
  group: string;
  resource: string;
  kind: string;
  /** versions the collector understands, most wanted first; absent: whatever the group prefers */
  versions?: readonly string[];
  /** read only in the Istio namespace (Secret metadata, the mesh ConfigMap) */
  istioNamespaceOnly?: boolean;
}

const ISTIO_VERSIONS = ["v1", "v1beta1", "v1alpha3"] as const;

const trivy = (resource: string, kind: string): CatalogEntry => ({
  upload: "trivy-operator",
  group: "aquasecurity.github.io",
  resource,
  kind,
  versions: ["v1alpha1"],
});
const mesh = (group: string, resource: string, kind: string, versions?: readonly string[]): CatalogEntry =>
  versions
    ? { upload: "mesh-config", group, resource, kind, versions }
    : { upload: "mesh-config", group, resource, kind };
const istio = (group: string, resource: string, kind: string) => mesh(group, resource, kind, ISTIO_VERSIONS);

/** Read before anything else: a kind forbidden cluster-wide is then listed namespace by namespace. */
export const NAMESPACES: CatalogEntry = mesh("", "namespaces", "Namespace");

export const CATALOG: readonly CatalogEntry[] = [
  trivy("vulnerabilityreports", "VulnerabilityReport"),
  trivy("configauditreports", "ConfigAuditReport"),
  trivy("exposedsecretreports", "ExposedSecretReport"),
  trivy("rbacassessmentreports", "RbacAssessmentReport"),
  trivy("infraassessmentreports", "InfraAssessmentReport"),
  trivy("clustervulnerabilityreports", "ClusterVulnerabilityReport"),
  trivy("clusterconfigauditreports", "ClusterConfigAuditReport"),
  trivy("clusterrbacassessmentreports", "ClusterRbacAssessmentReport"),
  trivy("clusterinfraassessmentreports", "ClusterInfraAssessmentReport"),
  trivy("clustercompliancereports", "ClusterComplianceReport"),

  istio("security.istio.io", "peerauthentications", "PeerAuthentication"),
  istio("security.istio.io", "authorizationpolicies", "AuthorizationPolicy"),
  istio("security.istio.io", "requestauthentications", "RequestAuthentication"),
  istio("networking.istio.io", "gateways", "Gateway"),
  istio("networking.istio.io", "virtualservices", "VirtualService"),
  istio("networking.istio.io", "destinationrules", "DestinationRule"),
  istio("networking.istio.io", "serviceentries", "ServiceEntry"),
  istio("networking.istio.io", "sidecars", "Sidecar"),
  istio("networking.istio.io", "envoyfilters", "EnvoyFilter"),
  istio("networking.istio.io", "workloadentries", "WorkloadEntry"),
  istio("telemetry.istio.io", "telemetries", "Telemetry"),

  NAMESPACES,
  mesh("", "pods", "Pod"),
  mesh("", "services", "Service"),
  mesh("", "serviceaccounts", "ServiceAccount"),
  mesh("networking.k8s.io", "networkpolicies", "NetworkPolicy"),
  mesh("rbac.authorization.k8s.io", "roles", "Role"),
  mesh("rbac.authorization.k8s.io", "clusterroles", "ClusterRole"),
  mesh("rbac.authorization.k8s.io", "rolebindings", "RoleBinding"),
  mesh("rbac.authorization.k8s.io", "clusterrolebindings", "ClusterRoleBinding"),
  mesh("admissionregistration.k8s.io", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration"),
  mesh("admissionregistration.k8s.io", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration"),
  { ...mesh("", "configmaps", "ConfigMap"), istioNamespaceOnly: true },
  { ...mesh("", "secrets", "Secret"), istioNamespaceOnly: true },
];

/** "group/resource", the name a manifest entry and an error message use ("pods", "roles.rbac.authorization.k8s.io"). */
export function entryName(e: Pick<CatalogEntry, "group" | "resource">): string {
  return e.group ? `${e.resource}.${e.group}` : e.resource;
}
