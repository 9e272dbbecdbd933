import type { Source } from "@bulwark/schema";

/**
 * Findings that Istio's sidecar design raises on every meshed pod (reference/check-mapping.md §7.2):
 * without the Istio CNI, `istio-init` runs as root (UID/GID 0) with NET_ADMIN + NET_RAW to program iptables,
 * and a writable root filesystem; `istio-proxy` runs as UID/GID 1337, under Trivy's ≤ 10000 threshold.
 * Polaris, Kubescape and Popeye have no UID-threshold check, so istio-proxy rows exist only for Trivy.
 * Rule ids are each tool's own (Trivy ids normalised, `KSV-0012`); no id is shared between tools except
 * Trivy's and the operator's, which are the same checks.
 */
export type MeshContainer = "istio-init" | "istio-proxy";

export interface SidecarExpectation {
  tool: Source;
  ruleId: string;
  container: MeshContainer;
  why: string;
}

const TRIVY_TOOLS: readonly Source[] = ["trivy", "trivy-operator"];

const rows = (
  tools: readonly Source[],
  container: MeshContainer,
  list: readonly (readonly [string, string])[],
): SidecarExpectation[] =>
  tools.flatMap((tool) => list.map(([ruleId, why]) => ({ tool, ruleId, container, why })));

const ROOT = "runs as UID 0 to program iptables";
const CAPS = "adds NET_ADMIN and NET_RAW for iptables";
const RW = "writes iptables state; root filesystem not read-only";
const PRIV = "privileged when the mesh is installed with global.proxy.privileged";
const ESC = "allowPrivilegeEscalation follows global.proxy.privileged";
const UID = "istio-proxy runs as UID/GID 1337 by design; traffic capture excludes that UID";

export const EXPECTED_BY_SIDECAR_DESIGN: readonly SidecarExpectation[] = [
  ...rows(TRIVY_TOOLS, "istio-init", [
    ["KSV-0001", ESC],
    ["KSV-0003", CAPS],
    ["KSV-0004", CAPS],
    ["KSV-0012", ROOT],
    ["KSV-0014", RW],
    ["KSV-0017", PRIV],
    ["KSV-0020", ROOT],
    ["KSV-0021", ROOT],
    ["KSV-0022", CAPS],
    ["KSV-0105", ROOT],
    ["KSV-0106", CAPS],
    ["KSV-0116", ROOT],
    ["KSV-0119", CAPS],
  ]),
  ...rows(TRIVY_TOOLS, "istio-proxy", [
    ["KSV-0020", UID],
    ["KSV-0021", UID],
  ]),
  ...rows(["polaris"], "istio-init", [
    ["dangerousCapabilities", CAPS],
    ["insecureCapabilities", CAPS],
    ["runAsRootAllowed", ROOT],
    ["notReadOnlyRootFilesystem", RW],
    ["privilegeEscalationAllowed", ESC],
    ["runAsPrivileged", PRIV],
  ]),
  // Kubescape reports per workload; its findings name a container only when every failed path points
  // into that one container, so these fold only when istio-init alone fails the control
  ...rows(["kubescape"], "istio-init", [
    ["C-0013", ROOT],
    ["C-0016", ESC],
    ["C-0017", RW],
    ["C-0046", CAPS],
    ["C-0057", PRIV],
    ["CIS-5.2.2", PRIV],
    ["CIS-5.2.6", ESC],
    ["CIS-5.2.7", ROOT],
    ["CIS-5.2.8", CAPS],
    ["CIS-5.2.9", CAPS],
    ["CIS-5.2.10", CAPS],
  ]),
  ...rows(["popeye"], "istio-init", [["POP-306", ROOT]]),
];
