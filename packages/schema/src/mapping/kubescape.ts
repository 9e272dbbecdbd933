import type { StrategyId } from "../taxonomy.js";
import { type CheckMapping, NIST } from "./types.js";

/**
 * Kubescape controls (kubescape/regolibrary `controls/*.json`) keyed by controlID. Only controls whose
 * meaning is unambiguous are listed: the ones in the corpus file plus the common C-00xx/C-02xx controls.
 * `CIS-x.y.z` controls (the cis-v1.23 framework) are not listed here: they carry the CIS wording, so they go
 * through the kube-bench text rules (mapping/index.ts, kubescapeControlMapping).
 */
const { SS1, SS3, SS4, SS5, SS7, SS9, SS13, DR12, A23, A45, A48, AHLC1, AHLC4, APE3 } = NIST;

type Extra = Pick<CheckMapping, "also" | "note">;
const row = (id: string, strategy: StrategyId, nist: readonly string[], extra: Extra = {}): CheckMapping => ({
  id,
  strategy,
  nist,
  ...extra,
});
const ctr = (id: string, extra: Extra = {}) => row(id, "LP-CTR", [], extra);
const ops = (id: string, extra: Extra = {}) => row(id, "LP-OPS", [A48], extra);
const vuln = (id: string, note: string) => row(id, "INT-VULN", [SS9], { note });
const cap = (id: string) => row(id, "RES-CAP", [A23]);
const edge = (id: string, nist: readonly string[] = [SS13], extra: Extra = {}) =>
  row(id, "PROT-EDGE", nist, extra);

export const KUBESCAPE_CONTROLS: readonly CheckMapping[] = [
  row("C-0001", "INT-VULN", [], { note: "Forbidden container registries (204D)" }),
  ops("C-0002", { note: "Exec into container" }),
  cap("C-0004"),
  row("C-0005", "PROT-TLS", [SS4], { note: "API server insecure port" }),
  ctr("C-0006", { note: "Allowed hostPath" }),
  ops("C-0007", { note: "Data destruction (delete rights)" }),
  cap("C-0009"),
  row("C-0012", "INT-SECRET", [SS1], { note: "Credentials in configuration files" }),
  row("C-0013", "LP-CTR", [AHLC1], { note: "Non-root containers: fires on istio-init without CNI" }),
  ops("C-0014", { note: "Access Kubernetes dashboard" }),
  row("C-0015", "LP-OPS", [A48, DR12], { note: "List Kubernetes secrets" }),
  row("C-0016", "LP-CTR", [AHLC4], { note: "Allow privilege escalation" }),
  ctr("C-0017", { note: "Immutable container filesystem" }),
  row("C-0018", "RES-LB", [SS7], { note: "Readiness probe" }),
  row("C-0020", "INT-SECRET", [], { note: "Mount service principal (cloud credentials from the host)" }),
  edge("C-0021", [SS4], { note: "Exposed sensitive interfaces" }),
  edge("C-0030", [SS13], { note: "Ingress and Egress blocked (NetworkPolicy)" }),
  row("C-0031", "MON-LOG", [SS5], { note: "Delete Kubernetes events: log tampering" }),
  ops("C-0034", { note: "Automatic mapping of service account (CIS 5.1.6)" }),
  ops("C-0035", { note: "Cluster-admin binding" }),
  row("C-0036", "PROT-COVER", [], { also: ["LP-OPS"], note: "Validating admission webhooks" }),
  edge("C-0037", [SS3], { note: "CoreDNS poisoning: discovery integrity" }),
  ctr("C-0038", { note: "Host PID/IPC" }),
  row("C-0039", "PROT-COVER", [], { also: ["LP-OPS"], note: "Mutating admission webhooks (injector)" }),
  ctr("C-0041", { also: ["PROT-COVER"], note: "HostNetwork access bypasses the sidecar" }),
  ctr("C-0042", { note: "SSH server inside a container" }),
  ctr("C-0044", { also: ["PROT-EDGE"], note: "Container hostPort" }),
  ctr("C-0045", { note: "Writable hostPath mount" }),
  ctr("C-0046", { note: "Insecure capabilities: NET_ADMIN/NET_RAW hit istio-init" }),
  ctr("C-0048", { note: "HostPath mount" }),
  edge("C-0049", [SS13], { note: "Network mapping" }),
  cap("C-0050"),
  edge("C-0052", [SS13], { note: "Instance metadata API reachable" }),
  ops("C-0053", { note: "Access container service account" }),
  edge("C-0054", [SS13], { note: "Cluster internal networking" }),
  ctr("C-0055", { note: "Linux hardening" }),
  row("C-0056", "RES-LB", [SS7], { note: "Liveness probe" }),
  row("C-0057", "LP-CTR", [AHLC1], { note: "Privileged container" }),
  vuln("C-0058", "CVE-2021-25741 symlink exchange"),
  vuln("C-0059", "CVE-2021-25742 ingress-nginx snippets"),
  ops("C-0060", { note: "Namespace without service accounts" }),
  row("C-0061", "LP-OPS", [APE3], { note: "Pods in default namespace (CIS 5.7.4)" }),
  ctr("C-0062", { note: "Sudo in container entrypoint" }),
  ops("C-0063", { note: "Port-forwarding privileges" }),
  ops("C-0065", { note: "Impersonation" }),
  row("C-0066", "INT-SECRET", [DR12], { note: "Secret/etcd encryption at rest" }),
  row("C-0067", "MON-LOG", [A45], { note: "Audit logs enabled" }),
  ctr("C-0068", { note: "PodSecurityPolicy enabled" }),
  ops("C-0069", { note: "Kubelet anonymous access" }),
  row("C-0070", "PROT-MTLS", [], { note: "Kubelet client TLS authentication" }),
  row("C-0073", "RES-LB", [SS7], { note: "Naked pods" }),
  ctr("C-0074", { note: "Docker socket mounted" }),
  vuln("C-0075", "Image pull policy on latest tag"),
  // labels are what mesh telemetry keys workloads on; same choice as Polaris metadataAndInstanceMismatched
  row("C-0076", "MON-MET", [], { note: "Label usage" }),
  row("C-0077", "MON-MET", [], { note: "Kubernetes common labels" }),
  row("C-0078", "INT-VULN", [], { note: "Images from allowed registry (204D)" }),
  vuln("C-0079", "CVE-2022-0185"),
  vuln("C-0081", "CVE-2022-24348 (Argo CD)"),
  vuln("C-0083", "Critical vulnerabilities exposed to external traffic"),
  vuln("C-0084", "RCE vulnerabilities exposed to external traffic"),
  vuln("C-0085", "Excessive amount of vulnerabilities"),
  // the control checks the mitigations (non-root, seccomp/AppArmor), not the kernel version
  ctr("C-0086", { note: "CVE-2022-0492 cgroups escape: mitigated by container hardening" }),
  vuln("C-0087", "CVE-2022-23648 (containerd)"),
  ops("C-0088", { note: "RBAC enabled" }),
  vuln("C-0089", "CVE-2022-3172"),
  vuln("C-0090", "CVE-2022-39328 (Grafana)"),
  vuln("C-0091", "CVE-2022-47633 (Kyverno)"),
  edge("C-0260", [SS13], { note: "Missing network policy" }),
  ops("C-0261", { note: "ServiceAccount token mounted" }),
  ops("C-0262", { note: "Anonymous access enabled" }),
  row("C-0263", "PROT-TLS", [SS4], { note: "Ingress uses TLS" }),
  ...["C-0268", "C-0269", "C-0270", "C-0271"].map(cap),
];

// regolibrary control categories (v3 summaryDetails.controls[].category.name)
const BY_CATEGORY: readonly (readonly [string, StrategyId])[] = [
  ["network", "PROT-EDGE"],
  ["access control", "LP-OPS"],
  ["secret", "INT-SECRET"],
  ["supply chain", "INT-VULN"],
  ["vulnerab", "INT-VULN"],
  ["control plane", "PLAT-CIS"],
  ["node", "PLAT-CIS"],
  ["resource", "RES-CAP"],
  ["workload", "LP-CTR"],
];

/** Strategy of a control with no row, by Kubescape's category; CIS 1–4 (control plane/node) → PLAT-CIS. */
export function kubescapeFallbackStrategy(controlId: string, category: string | null): StrategyId {
  const c = (category ?? "").toLowerCase();
  for (const [needle, strategy] of BY_CATEGORY) if (c.includes(needle)) return strategy;
  if (controlId.startsWith("CIS-") && !controlId.startsWith("CIS-5")) return "PLAT-CIS";
  // older reports carry no category; most unknown controls are workload-hardening checks
  return "LP-CTR";
}
