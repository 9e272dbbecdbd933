import type { StrategyId } from "../taxonomy.js";
import { type CheckMapping, NIST } from "./types.js";

/**
 * Trivy misconfiguration checks (reference/check-mapping.md §2 KSV, §2.1 KCV), keyed by the normalised id
 * (`KSV001` / `AVD-KSV-0001` / `KSV-0001` → `KSV-0001`). Corrections to the proposal are noted per row.
 */
const { SS1, SS3, SS4, SS5, SS9, SS13, DR12, A23, A48, AHLC1, AHLC4, APE3 } = NIST;

type Extra = Pick<CheckMapping, "also" | "note">;
const row = (id: string, strategy: StrategyId, nist: readonly string[], extra: Extra = {}): CheckMapping => ({
  id,
  strategy,
  nist,
  ...extra,
});
// "AHLC-SR (?)" in the proposal: unverified SR number, no known section → [] (LP-CTR defaults apply).
const ctr = (id: string, extra: Extra = {}) => row(id, "LP-CTR", [], extra);
const ops = (id: string, extra: Extra = {}) => row(id, "LP-OPS", [A48], extra);
// "204D" rows: supply-chain publication without a confirmed section → [] (INT-VULN defaults apply).
const supply = (id: string, note?: string) => row(id, "INT-VULN", [], note ? { note } : {});

export const TRIVY_KSV: readonly CheckMapping[] = [
  row("KSV-0001", "LP-CTR", [AHLC4], { note: "allowPrivilegeEscalation not false" }),
  ctr("KSV-0002"),
  ctr("KSV-0003"),
  ctr("KSV-0004"),
  ctr("KSV-0005"),
  ctr("KSV-0006", { note: "docker.sock hostPath: host escape" }),
  row("KSV-0007", "PROT-EDGE", [SS3], { note: "hostAliases override name resolution (discovery integrity)" }),
  ctr("KSV-0008"),
  ctr("KSV-0009", { also: ["PROT-COVER"], note: "hostNetwork pods are not captured by the sidecar" }),
  ctr("KSV-0010"),
  row("KSV-0011", "RES-CAP", [A23]),
  row("KSV-0012", "LP-CTR", [AHLC1], { note: "fires on istio-init unless Istio CNI is used" }),
  row("KSV-0013", "INT-VULN", [SS9], { note: "mutable tag defeats integrity/rollback" }),
  ctr("KSV-0014"),
  row("KSV-0015", "RES-CAP", [A23]),
  row("KSV-0016", "RES-CAP", [A23]),
  row("KSV-0017", "LP-CTR", [AHLC1]),
  row("KSV-0018", "RES-CAP", [A23]),
  ctr("KSV-0020", { note: "istio-proxy runs as UID 1337 by design" }),
  ctr("KSV-0021", { note: "istio-proxy runs as GID 1337 by design" }),
  ctr("KSV-0022", { note: "istio-init adds NET_ADMIN/NET_RAW without CNI" }),
  ctr("KSV-0023"),
  ctr("KSV-0024", { also: ["PROT-EDGE"], note: "hostPort exposes the pod outside the ingress gateway" }),
  ctr("KSV-0025"),
  ctr("KSV-0026"),
  ctr("KSV-0027"),
  ctr("KSV-0028"),
  ctr("KSV-0030"),
  supply("KSV-0032", "deprecated check"),
  supply("KSV-0033", "deprecated check"),
  supply("KSV-0034", "deprecated check"),
  supply("KSV-0035", "deprecated check"),
  ops("KSV-0036", { note: "automountServiceAccountToken" }),
  ops("KSV-0037"),
  row("KSV-0038", "PROT-EDGE", [SS13, APE3], {
    note: "NetworkPolicy = L3/L4 defence in depth behind the mesh",
  }),
  row("KSV-0039", "RES-CAP", [A23]),
  row("KSV-0040", "RES-CAP", [A23]),
  row("KSV-0041", "LP-OPS", [A48, DR12], { note: "secret read in istio-system exposes the mesh CA key" }),
  row("KSV-0042", "MON-LOG", [SS5], { note: "log tampering" }),
  ops("KSV-0043"),
  ops("KSV-0044", { note: "implicitly covers Istio CRDs" }),
  ops("KSV-0045"),
  ops("KSV-0046"),
  ops("KSV-0047"),
  ops("KSV-0048", { note: "includes deploy rights in istio-system" }),
  ops("KSV-0049", { note: "mesh config lives in ConfigMap istio (istio-system)" }),
  ops("KSV-0050"),
  ops("KSV-0051"),
  ops("KSV-0052"),
  ops("KSV-0053"),
  ops("KSV-0054"),
  ops("KSV-0055"),
  // the proposal lists PROT-EDGE in the NIST column; it is a strategy, so it moves to `also`
  ops("KSV-0056", { also: ["PROT-EDGE"], note: "core networking resources only, not Istio CRDs" }),
  row("KSV-01010", "INT-SECRET", [SS1], {
    note: "trivy ≤0.68 k8s reports carry ID AVD-KSV-0110 with AVDID AVD-KSV-01010: the AVDID wins",
  }),
  ops("KSV-01011"),
  ops("KSV-0102"),
  ctr("KSV-0103"),
  ctr("KSV-0104"),
  row("KSV-0105", "LP-CTR", [AHLC1], { note: "istio-init runs as UID 0 without CNI" }),
  ctr("KSV-0106", { note: "istio-init without CNI" }),
  row("KSV-0107", "INT-VULN", [SS9], { note: "deprecated API versions" }),
  row("KSV-0108", "PROT-EDGE", [SS4], { note: "externalIPs allow traffic interception (CVE-2020-8554)" }),
  row("KSV-0109", "INT-SECRET", [SS1]),
  row("KSV-0110", "LP-OPS", [APE3], { note: "namespace boundary" }),
  ops("KSV-0111"),
  ops("KSV-0112"),
  row("KSV-0113", "LP-OPS", [A48, DR12]),
  ops("KSV-0114", { also: ["PROT-COVER"], note: "Istio sidecar-injector/validation webhooks" }),
  ops("KSV-0115", { note: "EKS only" }),
  row("KSV-0116", "LP-CTR", [AHLC1]),
  ctr("KSV-0117"),
  row("KSV-0118", "LP-CTR", [AHLC1]),
  ctr("KSV-0119", { note: "istio-init without CNI" }),
  ctr("KSV-0120"),
  ctr("KSV-0121"),
  ops("KSV-0122"),
  ops("KSV-0123"),
  supply("KSV-0124"),
  supply("KSV-0125"),
];

/**
 * KCV rows. The proposal makes PLAT-CIS primary and its last column a secondary tag; TAXONOMY.md (normative)
 * maps CIS checks that evidence an 800-204 strategy to that strategy, so the column is primary here and
 * PLAT-CIS is `also` (same result as the kube-bench text rules for the same CIS check).
 */
const kcv = (n: string, strategy: StrategyId, note?: string): CheckMapping =>
  strategy === "PLAT-CIS"
    ? row(`KCV-${n}`, strategy, [], note ? { note } : {})
    : row(`KCV-${n}`, strategy, [], { also: ["PLAT-CIS"], ...(note ? { note } : {}) });

export const TRIVY_KCV: readonly CheckMapping[] = [
  kcv("0001", "LP-OPS"),
  kcv("0002", "LP-OPS"),
  kcv("0003", "PROT-EDGE"),
  kcv("0004", "PROT-TLS"),
  kcv("0005", "PROT-MTLS"),
  kcv("0006", "PROT-MTLS"),
  kcv("0007", "LP-OPS"),
  kcv("0008", "LP-OPS"),
  kcv("0009", "LP-OPS"),
  kcv("0010", "RES-RL"),
  kcv("0011", "LP-OPS"),
  kcv("0012", "INT-VULN", "trivy ≤0.68 emits ID KSV0012 with AVDID AVD-KCV-0012: the AVDID wins"),
  kcv("0013", "LP-CTR"),
  kcv("0014", "LP-OPS"),
  kcv("0015", "PLAT-CIS"),
  kcv("0016", "LP-OPS"),
  kcv("0017", "PROT-TLS"),
  kcv("0018", "PLAT-CIS"),
  kcv("0019", "MON-LOG"),
  kcv("0020", "MON-LOG"),
  kcv("0021", "MON-LOG"),
  kcv("0022", "MON-LOG"),
  kcv("0024", "LP-OPS"),
  kcv("0025", "INT-SECRET"),
  kcv("0026", "PROT-TLS"),
  kcv("0027", "PROT-TLS"),
  kcv("0028", "PROT-MTLS"),
  kcv("0029", "PROT-TLS"),
  kcv("0030", "INT-SECRET"),
  kcv("0033", "PLAT-CIS"),
  // the proposal gives CIS 1.4.1 here and "—" for KCV-0040; trivy reports KCV0034 on kube-controller-manager
  // (CIS 1.3.2) and KCV0040 on kube-scheduler (CIS 1.4.1) — both profiling, both PLAT-CIS
  kcv("0034", "PLAT-CIS", "controller-manager profiling (CIS 1.3.2)"),
  kcv("0035", "LP-OPS"),
  kcv("0036", "INT-SECRET"),
  kcv("0037", "PROT-MTLS"),
  kcv("0038", "PROT-MTLS"),
  kcv("0039", "PROT-EDGE"),
  kcv("0040", "PLAT-CIS", "scheduler profiling (CIS 1.4.1)"),
  kcv("0041", "PROT-EDGE"),
  kcv("0042", "PROT-TLS"),
  kcv("0043", "PROT-MTLS"),
  kcv("0044", "PROT-TLS"),
  kcv("0045", "PROT-TLS"),
  kcv("0046", "PROT-MTLS"),
  kcv("0047", "PROT-TLS"),
  kcv("0048", "PLAT-CIS"),
  kcv("0049", "PLAT-CIS"),
  kcv("0050", "PLAT-CIS"),
  kcv("0051", "PLAT-CIS"),
  kcv("0052", "PLAT-CIS"),
  kcv("0053", "PLAT-CIS"),
  kcv("0054", "PLAT-CIS"),
  kcv("0055", "PLAT-CIS"),
  kcv("0056", "PLAT-CIS"),
  kcv("0057", "PLAT-CIS"),
  kcv("0058", "PLAT-CIS"),
  kcv("0059", "PLAT-CIS"),
  kcv("0060", "LP-OPS", "admin.conf holds cluster-admin credentials"),
  kcv("0061", "LP-OPS", "admin.conf holds cluster-admin credentials"),
  kcv("0062", "PLAT-CIS"),
  kcv("0063", "PLAT-CIS"),
  kcv("0064", "PLAT-CIS"),
  kcv("0065", "PLAT-CIS"),
  kcv("0066", "PLAT-CIS"),
  kcv("0067", "INT-SECRET"),
  kcv("0068", "PLAT-CIS"),
  kcv("0069", "PLAT-CIS"),
  kcv("0070", "PLAT-CIS"),
  kcv("0071", "PLAT-CIS"),
  kcv("0072", "PLAT-CIS"),
  kcv("0073", "PLAT-CIS"),
  kcv("0074", "PLAT-CIS"),
  kcv("0075", "PLAT-CIS"),
  kcv("0076", "PLAT-CIS"),
  kcv("0077", "PLAT-CIS"),
  kcv("0078", "PLAT-CIS"),
  kcv("0079", "LP-OPS"),
  kcv("0080", "LP-OPS"),
  kcv("0081", "PROT-MTLS"),
  kcv("0082", "PROT-EDGE"),
  kcv("0083", "LP-CTR"),
  kcv("0084", "PLAT-CIS"),
  kcv("0085", "PLAT-CIS"),
  kcv("0086", "PLAT-CIS"),
  kcv("0087", "MON-LOG"),
  kcv("0088", "PROT-TLS"),
  kcv("0089", "PROT-TLS"),
  kcv("0090", "PROT-MTLS"),
  kcv("0091", "PROT-MTLS"),
  kcv("0092", "PROT-TLS"),
  kcv("0093", "PROT-EDGE"),
];

/**
 * Dockerfile checks seen in the corpus (not in the proposal): without a row they would fall back to the DS
 * family (LP-CTR), which is wrong for the HEALTHCHECK and ADD checks.
 */
export const TRIVY_DS: readonly CheckMapping[] = [
  row("DS-0002", "LP-CTR", [AHLC1], { note: "image runs as root (same control as KSV-0012)" }),
  row("DS-0005", "INT-VULN", [SS9], { note: "ADD fetches/unpacks unpinned content into the image" }),
  row("DS-0026", "RES-LB", [], { note: "no HEALTHCHECK: the runtime cannot tell a dead container" }),
];

export const TRIVY_CHECKS: readonly CheckMapping[] = [...TRIVY_KSV, ...TRIVY_KCV, ...TRIVY_DS];

/** Strategy for a check id with no row, by the id's family (TAXONOMY.md: map by the tool's own category). */
export function trivyFamilyStrategy(normalizedId: string): StrategyId {
  const family = normalizedId.slice(0, normalizedId.indexOf("-"));
  // KSV = workload/RBAC checks, DS = Dockerfile checks: both mostly about container privileges;
  // KCV = node/control-plane CIS checks and cloud (AWS, AZU, GCP, …) or unknown families: platform baseline
  return family === "KSV" || family === "DS" ? "LP-CTR" : "PLAT-CIS";
}
