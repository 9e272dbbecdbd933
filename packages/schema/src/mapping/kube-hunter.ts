import type { StrategyId } from "../taxonomy.js";
import { type CheckMapping, NIST } from "./types.js";

/**
 * kube-hunter vulnerabilities (aquasecurity/kube-hunter `docs/_kb/KHV*.md`) keyed by vid. A few hunters
 * report `vid: "None"`; those are keyed by their vulnerability name, which the parser then uses as ruleId.
 * kube-hunter probes from outside (or from one pod), so most rows are about exposed interfaces (PROT-EDGE),
 * unauthenticated kubelet/API rights (LP-OPS) or known CVEs of the platform (INT-VULN).
 */
const { SS3, SS4, SS9, SS13, DR12, A48, AHLC1 } = NIST;

type Extra = Pick<CheckMapping, "also" | "note">;
const row = (id: string, strategy: StrategyId, nist: readonly string[], extra: Extra = {}): CheckMapping => ({
  id,
  strategy,
  nist,
  ...extra,
});
const ops = (id: string, note: string, extra: Extra = {}) => row(id, "LP-OPS", [A48], { note, ...extra });
const edge = (id: string, note: string, nist: readonly string[] = [SS13]) =>
  row(id, "PROT-EDGE", nist, { note });
const cve = (id: string, note: string) => row(id, "INT-VULN", [SS9], { note });

export const KUBE_HUNTER_VULNS: readonly CheckMapping[] = [
  edge("KHV002", "K8s version disclosure (/version)", [SS4]),
  edge("KHV003", "Azure instance metadata reachable from pods"),
  row("KHV004", "INT-SECRET", [], { note: "Azure SPN credentials exposed" }),
  ops("KHV005", "API access with the pod's service-account token"),
  row("KHV006", "PROT-TLS", [SS4], { note: "insecure (HTTP) API access" }),
  ops("KHV007", "specific API rights of the service account"),
  row("KHV020", "LP-CTR", [], { also: ["PROT-EDGE"], note: "ARP spoofing needs NET_RAW" }),
  row("KHV021", "PROT-TLS", [], { note: "certificate includes an e-mail address" }),
  cve("KHV022", "CVE-2018-1002105"),
  cve("KHV023", "CVE-2019-1002100"),
  cve("KHV024", "CVE-2019-9512"),
  cve("KHV025", "CVE-2019-9514"),
  cve("KHV026", "CVE-2019-11247"),
  cve("KHV027", "kubectl CVE-2019-11246"),
  cve("KHV028", "kubectl CVE-2019-1002101"),
  edge("KHV029", "dashboard exposed", [SS4]),
  row("KHV030", "PROT-EDGE", [SS3], { also: ["LP-CTR"], note: "DNS spoofing: discovery integrity" }),
  row("KHV031", "PROT-MTLS", [], { also: ["PLAT-CIS"], note: "etcd remote write without client auth" }),
  row("KHV032", "PROT-MTLS", [DR12], {
    also: ["INT-SECRET"],
    note: "etcd remote read: secrets incl. CA keys",
  }),
  edge("KHV033", "etcd version disclosure"),
  row("KHV034", "PROT-TLS", [SS4], { note: "etcd over plain HTTP" }),
  ops("KHV036", "kubelet anonymous authentication"),
  ops("KHV037", "kubelet exposes container logs"),
  ops("KHV038", "kubelet exposes running pods"),
  ops("KHV039", "kubelet allows exec"),
  ops("KHV040", "kubelet allows run"),
  ops("KHV041", "kubelet allows port-forward"),
  ops("KHV042", "kubelet allows attach"),
  edge("KHV043", "cluster health disclosure (/healthz)"),
  row("KHV044", "LP-CTR", [AHLC1], { note: "privileged container on a node" }),
  ops("KHV045", "kubelet exposes system logs"),
  ops("KHV046", "kubelet exposes its command line"),
  row("KHV047", "LP-CTR", [], { note: "hostPath mount of /var/log (host escape)" }),
  edge("KHV049", "kubectl proxy exposed", [SS4]),
  ops("KHV050", "pod can read its service-account token"),
  ops("KHV051", "privileged containers reachable via the kubelet", { also: ["LP-CTR"] }),
  // read-only kubelet port 10255: the same control as CIS 4.2.4 (kube-bench text rule → PROT-EDGE)
  edge("KHV052", "kubelet read-only port exposes pods"),
  edge("KHV053", "AWS instance metadata reachable from pods"),
  row("CAP_NET_RAW Enabled", "LP-CTR", [], { note: "vid None: NET_RAW allows ARP/IP spoofing" }),
  ops("Access to pod's secrets", "vid None: service-account files readable in the pod"),
];

// kube-hunter categories: pre-2021 (`Access Risk`, `Information Disclosure`, …) and the MITRE-style
// `Tactic // Technique` strings of later releases; the first needle found in the lower-cased text wins
const BY_CATEGORY: readonly (readonly [string, StrategyId])[] = [
  ["denial of service", "RES-RL"],
  ["privilege escalation", "LP-CTR"],
  ["privileged container", "LP-CTR"],
  ["identity theft", "INT-SECRET"],
  ["credential", "INT-SECRET"],
  ["access risk", "LP-OPS"],
  ["unauthenticated access", "LP-OPS"],
  ["remote code execution", "LP-OPS"],
  ["execution", "LP-OPS"],
  ["persistence", "LP-OPS"],
  ["tampering", "LP-OPS"],
  ["information disclosure", "PROT-EDGE"],
  ["discovery", "PROT-EDGE"],
  ["initial access", "PROT-EDGE"],
  ["lateral movement", "PROT-EDGE"],
];

/** Strategy of a vulnerability with no row, by kube-hunter's category (exposed interface by default). */
export function kubeHunterCategoryStrategy(category: string | null): StrategyId {
  const c = (category ?? "").toLowerCase();
  for (const [needle, strategy] of BY_CATEGORY) if (c.includes(needle)) return strategy;
  return "PROT-EDGE";
}
