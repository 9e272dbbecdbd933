import type { StrategyId } from "../taxonomy.js";
import { type CheckMapping, NIST } from "./types.js";

/**
 * Polaris built-in checks (reference/check-mapping.md §5, all 44 of `pkg/config/checks/*.yaml`), keyed by the
 * check id Polaris reports (`Results{id: …}` / `ResultMessage.ID`). Polaris' own Category and Severity stay in
 * a finding's details; this table only says which 800-204 strategy the check evidences.
 */
const { SS1, SS4, SS7, SS9, SS13, A23, A48, AHLC1, AHLC4 } = NIST;

type Extra = Pick<CheckMapping, "also" | "note">;
const row = (id: string, strategy: StrategyId, nist: readonly string[], extra: Extra = {}): CheckMapping => ({
  id,
  strategy,
  nist,
  ...extra,
});
// the proposal cites "AHLC-SR (?)" or nothing for most container checks: [] → LP-CTR defaults
const ctr = (id: string, extra: Extra = {}) => row(id, "LP-CTR", [], extra);
const rbac = (id: string, note?: string) => row(id, "LP-OPS", [A48], note ? { note } : {});
const lb = (id: string, nist: readonly string[] = []) => row(id, "RES-LB", nist);
const cap = (id: string) => row(id, "RES-CAP", [A23]);

export const POLARIS_CHECKS: readonly CheckMapping[] = [
  rbac("automountServiceAccountToken", "CIS 5.1.6"),
  rbac("clusterrolePodExecAttach"),
  rbac("clusterrolebindingClusterAdmin", "CIS 5.1.1"),
  rbac("clusterrolebindingPodExecAttach"),
  rbac("rolePodExecAttach"),
  rbac("rolebindingClusterAdminClusterRole"),
  rbac("rolebindingClusterAdminRole"),
  rbac("rolebindingClusterRolePodExecAttach"),
  rbac("rolebindingRolePodExecAttach"),
  ctr("dangerousCapabilities", { note: "flags NET_ADMIN: fires on istio-init without the Istio CNI" }),
  ctr("insecureCapabilities", { note: "requires dropping ALL (or a list incl. NET_RAW)" }),
  ctr("hostIPCSet", { note: "CIS 5.2.4" }),
  ctr("hostNetworkSet", { also: ["PROT-COVER"], note: "CIS 5.2.5; host-network pods bypass the sidecar" }),
  ctr("hostPIDSet", { note: "CIS 5.2.3" }),
  ctr("hostPathSet", { note: "CIS 5.2.11" }),
  ctr("hostPortSet", { also: ["PROT-EDGE"], note: "CIS 5.2.12; exposes the pod beside the gateway" }),
  ctr("hostProcess", { note: "CIS 5.2.10" }),
  ctr("procMount"),
  ctr("linuxHardening", { note: "AppArmor / seccomp / SELinux / dropped capabilities" }),
  ctr("notReadOnlyRootFilesystem"),
  row("privilegeEscalationAllowed", "LP-CTR", [AHLC4], { note: "CIS 5.2.6" }),
  row("runAsPrivileged", "LP-CTR", [AHLC1], { note: "CIS 5.2.2" }),
  row("runAsRootAllowed", "LP-CTR", [AHLC1], { note: "CIS 5.2.7" }),
  row("missingNetworkPolicy", "PROT-EDGE", [SS13], { note: "CIS 5.3.2" }),
  row("tlsSettingsMissing", "PROT-TLS", [SS4], {
    also: ["PROT-EDGE"],
    note: "networking.k8s.io Ingress only, not the Istio Gateway",
  }),
  row("sensitiveConfigmapContent", "INT-SECRET", [SS1]),
  row("sensitiveContainerEnvVar", "INT-SECRET", [SS1], { note: "CIS 5.4.1" }),
  lb("readinessProbeMissing", [SS7]),
  lb("livenessProbeMissing", [SS7]),
  lb("deploymentMissingReplicas", [SS7]),
  lb("missingPodDisruptionBudget"),
  lb("pdbDisruptionsIsZero"),
  lb("pdbMinAvailableGreaterThanHPAMinReplicas"),
  cap("hpaMaxAvailability"),
  lb("hpaMinAvailability"),
  lb("topologySpreadConstraint"),
  cap("priorityClassNotSet"),
  row("tagNotSpecified", "INT-VULN", [SS9]),
  row("pullPolicyNotAlways", "INT-VULN", [SS9]),
  // the proposal leaves it unmapped ("hygiene"); every finding needs a strategy, and the app.kubernetes.io
  // labels it compares are the ones mesh telemetry keys workloads on (canonical service name / revision)
  row("metadataAndInstanceMismatched", "MON-MET", [], { note: "labels drive mesh telemetry identity" }),
  cap("cpuRequestsMissing"),
  cap("cpuLimitsMissing"),
  cap("memoryRequestsMissing"),
  cap("memoryLimitsMissing"),
];

// Polaris categories, current and pre-2021 (`Health Checks`, `Images`, `Networking`, `Resources`)
const BY_CATEGORY = new Map<string, StrategyId>([
  ["security", "LP-CTR"],
  ["reliability", "RES-LB"],
  ["efficiency", "RES-CAP"],
  ["health checks", "RES-LB"],
  ["images", "INT-VULN"],
  ["networking", "PROT-EDGE"],
  ["resources", "RES-CAP"],
]);

/** Strategy of a check with no row (custom checks, newer releases), by Polaris' own category. */
export function polarisCategoryStrategy(category: string | null): StrategyId {
  // custom checks are overwhelmingly workload-hardening rules: LP-CTR is the least surprising default
  return BY_CATEGORY.get((category ?? "").toLowerCase()) ?? "LP-CTR";
}
