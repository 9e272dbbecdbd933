import type { StrategyId } from "../taxonomy.js";
import { type CheckMapping, NIST } from "./types.js";

/**
 * `istioctl analyze` message codes (istio/istio `pkg/config/analysis/msg/messages.yaml`, IST0001–IST0165;
 * retired codes omitted) → taxonomy, from reference/check-mapping.md §1 and §1.7. `note` holds the message
 * name so the table reads like the Istio reference.
 */
const { SS1, SS4, SS9, SS13, DR1, DR2, DR6, DR8, A45 } = NIST;

type Extra = Pick<CheckMapping, "also">;
const row = (
  code: string,
  name: string,
  strategy: StrategyId,
  nist: readonly string[] = [],
  extra: Extra = {},
) => ({
  id: code,
  strategy,
  nist,
  note: name,
  ...extra,
});

export const ISTIOCTL_CODES: readonly CheckMapping[] = [
  // a bug in istioctl, not a property of the mesh: kept visible, in the platform bucket
  row("IST0001", "InternalError", "PLAT-CIS"),
  row("IST0002", "Deprecated", "INT-VULN", [SS9]),
  row("IST0101", "ReferencedResourceNotFound", "PROT-EDGE"),
  row("IST0102", "NamespaceNotInjected", "PROT-COVER", [DR1]),
  row("IST0103", "PodMissingProxy", "PROT-COVER", [DR1]),
  // §1.7 says "per resource kind"; the analyzers run on Istio traffic config first, so PROT-EDGE
  row("IST0106", "SchemaValidationError", "PROT-EDGE"),
  row("IST0107", "MisplacedAnnotation", "PROT-COVER"),
  row("IST0108", "UnknownAnnotation", "PROT-COVER"),
  row("IST0109", "ConflictingMeshGatewayVirtualServiceHosts", "RES-RT"),
  row("IST0110", "ConflictingSidecarWorkloadSelectors", "PROT-EDGE", [DR2]),
  row("IST0111", "MultipleSidecarsWithoutWorkloadSelectors", "PROT-EDGE", [DR2]),
  row("IST0112", "VirtualServiceDestinationPortSelectorRequired", "RES-RT"),
  row("IST0113", "MTLSPolicyConflict", "PROT-MTLS", [DR6]),
  // protocol selection by port: L7 AuthorizationPolicy rules do not apply to traffic sniffed as TCP
  row("IST0116", "DeploymentAssociatedToMultipleServices", "PROT-AUTHZ"),
  row("IST0118", "PortNameIsNotUnderNamingConvention", "PROT-AUTHZ"),
  row("IST0119", "JwtFailureDueToInvalidServicePortPrefix", "PROT-EUAUTHN"),
  row("IST0122", "InvalidRegexp", "RES-RT"),
  row("IST0123", "NamespaceMultipleInjectionLabels", "PROT-COVER", [DR1]),
  row("IST0125", "InvalidAnnotation", "PROT-COVER"),
  row("IST0126", "UnknownMeshNetworksServiceRegistry", "PROT-EDGE"),
  // a policy whose selector matches nothing enforces nothing
  row("IST0127", "NoMatchingWorkloadsFound", "PROT-AUTHZ"),
  row("IST0128", "NoServerCertificateVerificationDestinationLevel", "PROT-TLS", [SS4]),
  row("IST0129", "NoServerCertificateVerificationPortLevel", "PROT-TLS", [SS4]),
  row("IST0130", "VirtualServiceUnreachableRule", "RES-RT"),
  row("IST0131", "VirtualServiceIneffectiveMatch", "RES-RT"),
  row("IST0132", "VirtualServiceHostNotFoundInGateway", "RES-RT"),
  row("IST0133", "SchemaWarning", "PROT-EDGE"),
  row("IST0134", "ServiceEntryAddressesRequired", "PROT-EDGE", [DR8]),
  row("IST0135", "DeprecatedAnnotation", "PROT-COVER"),
  row("IST0136", "AlphaAnnotation", "INT-VULN"),
  row("IST0137", "DeploymentConflictingPorts", "RES-LB"),
  row("IST0138", "GatewayDuplicateCertificate", "PROT-EDGE"),
  row("IST0139", "InvalidWebhook", "PROT-COVER", [DR1]),
  row("IST0140", "IngressRouteRulesNotAffected", "RES-RT"),
  row("IST0141", "InsufficientPermissions", "LP-OPS"),
  row("IST0142", "UnsupportedKubernetesVersion", "INT-VULN", [SS9]),
  row("IST0143", "LocalhostListener", "RES-LB"),
  row("IST0144", "InvalidApplicationUID", "PROT-COVER", [SS13]),
  row("IST0145", "ConflictingGateways", "PROT-EDGE"),
  row("IST0146", "ImageAutoWithoutInjectionWarning", "PROT-COVER", [DR1]),
  row("IST0147", "ImageAutoWithoutInjectionError", "PROT-COVER", [DR1]),
  row("IST0148", "NamespaceInjectionEnabledByDefault", "PROT-COVER"),
  row("IST0149", "JwtClaimBasedRoutingWithoutRequestAuthN", "PROT-EUAUTHN", [SS1]),
  row("IST0150", "ExternalNameServiceTypeInvalidPortName", "PROT-EDGE"),
  // EnvoyFilters often implement rate limits and ext-authz: a filter that silently does not apply
  row("IST0151", "EnvoyFilterUsesRelativeOperation", "PROT-EDGE", [], { also: ["RES-RL"] }),
  row("IST0152", "EnvoyFilterUsesReplaceOperationIncorrectly", "PROT-EDGE", [], { also: ["RES-RL"] }),
  row("IST0153", "EnvoyFilterUsesAddOperationIncorrectly", "PROT-EDGE", [], { also: ["RES-RL"] }),
  row("IST0154", "EnvoyFilterUsesRemoveOperationIncorrectly", "PROT-EDGE", [], { also: ["RES-RL"] }),
  row("IST0155", "EnvoyFilterUsesRelativeOperationWithProxyVersion", "PROT-EDGE", [], { also: ["RES-RL"] }),
  row("IST0156", "UnsupportedGatewayAPIVersion", "INT-VULN", [SS9]),
  row("IST0157", "InvalidTelemetryProvider", "MON-LOG", [A45]),
  row("IST0158", "PodsIstioProxyImageMismatchInNamespace", "INT-VULN", [SS9]),
  row("IST0159", "ConflictingTelemetryWorkloadSelectors", "MON-LOG", [A45]),
  row("IST0160", "MultipleTelemetriesWithoutWorkloadSelectors", "MON-LOG", [A45]),
  row("IST0161", "InvalidGatewayCredential", "PROT-TLS", [SS4], { also: ["PROT-EDGE"] }),
  row("IST0162", "GatewayPortNotDefinedOnService", "PROT-EDGE"),
  row("IST0163", "InvalidExternalControlPlaneConfig", "PROT-EDGE"),
  row("IST0164", "ExternalControlPlaneAddressIsNotAHostname", "PROT-EDGE"),
  row("IST0165", "MultiClusterInconsistentService", "RES-LB"),
];

/** Codes newer than the table: the analyzers mostly judge traffic configuration, hence PROT-EDGE. */
export function istioctlFallbackStrategy(): StrategyId {
  return "PROT-EDGE";
}
