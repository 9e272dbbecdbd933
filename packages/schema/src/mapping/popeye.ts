import type { StrategyId } from "../taxonomy.js";
import { type CheckMapping, NIST } from "./types.js";

/**
 * Popeye codes (`internal/issues/assets/codes.yaml`, reference/check-mapping.md §6) keyed `POP-<code>`.
 * §6.2's "not a security finding" codes still need a strategy (every finding has one): each goes to the
 * strategy whose concern it touches (availability → RES-LB, capacity → RES-CAP, metrics → MON-MET).
 */
const { SS1, SS7, SS9, SS13, DR11, A23, A48, AHLC1 } = NIST;

type Extra = Pick<CheckMapping, "also" | "note">;
const row = (code: number, strategy: StrategyId, nist: readonly string[] = [], extra: Extra = {}) => ({
  id: `POP-${code}`,
  strategy,
  nist,
  ...extra,
});
const many = (
  codes: readonly number[],
  strategy: StrategyId,
  nist: readonly string[] = [],
  extra: Extra = {},
) => codes.map((c) => row(c, strategy, nist, extra));
// Istio picks a port's protocol from its name; an unnamed/sniffed port makes HTTP-level AuthorizationPolicy
// rules not apply (the proposal relates these codes to IST0118, which §1.7 maps to PROT-AUTHZ)
const PORT_NAMING: Extra = { note: "port naming drives Istio protocol selection (IST0118)" };

export const POPEYE_CODES: readonly CheckMapping[] = [
  // 6.1 security-relevant
  row(100, "INT-VULN", [SS9], { note: "untagged image" }),
  row(101, "INT-VULN", [SS9], { note: "latest tag" }),
  row(113, "INT-VULN", [], { note: "registry allow-list (204D, CIS 5.5.1)" }),
  ...many([102, 103, 104], "RES-LB", [SS7]),
  ...many([106, 107], "RES-CAP", [A23]),
  row(206, "RES-LB"),
  row(300, "PROT-MTLS", [DR11], {
    also: ["LP-OPS"],
    note: "default SA = shared SPIFFE identity (CIS 5.1.5)",
  }),
  row(308, "PROT-MTLS", [DR11], { also: ["LP-OPS"] }),
  row(301, "LP-OPS", [A48], { note: "CIS 5.1.6" }),
  row(303, "LP-OPS", [A48], { note: "CIS 5.1.6" }),
  row(302, "LP-CTR", [AHLC1]),
  row(306, "LP-CTR", [AHLC1]),
  ...many([304, 305], "INT-SECRET", [], { note: "missing secret reference (hygiene)" }),
  ...many([307, 507], "LP-OPS", [A48], { note: "missing ServiceAccount reference (hygiene)" }),
  row(400, "LP-OPS", [A48], { note: "unused resource; POP-400 on secrets/configmaps → INT-SECRET" }),
  row(401, "INT-SECRET", [SS1]),
  row(403, "INT-VULN", [SS9], { note: "deprecated API group" }),
  row(405, "INT-VULN", [SS9], { note: "old Kubernetes version" }),
  ...many([1103, 1104], "PROT-EDGE", [], { note: "may bypass the Istio ingress gateway" }),
  ...many([1107, 1108], "PROT-EDGE", [], { note: "source IP visibility" }),
  ...many([1200, 1201, 1202, 1206, 1207, 1208], "PROT-EDGE", [SS13], { note: "ineffective segmentation" }),
  row(1203, "PROT-EDGE", [SS13], { note: "allow-all is the violation, deny-all is good" }),
  ...many([1204, 1205], "PROT-EDGE", [SS13]),
  ...many([1400, 1401, 1402, 1404], "PROT-EDGE"),
  ...many([1600, 1601, 1602, 1603, 1604, 1700, 1701, 1702, 1703, 1704], "PROT-EDGE", [], {
    note: "Cilium only",
  }),
  // 6.2 operational
  ...many([105, 108, 1101, 1102, 1403], "PROT-AUTHZ", [], PORT_NAMING),
  ...many([109, 110, 111, 112, 503, 504, 505, 506, 602, 603, 604, 605, 709, 710], "RES-CAP", [A23]),
  ...many([200, 201, 202, 203, 204, 205, 207, 208, 209, 500, 501, 508, 1120], "RES-LB", [SS7]),
  row(402, "MON-MET", [], { note: "no metrics-server" }),
  row(404, "INT-VULN", [], { note: "deprecation check could not run" }),
  row(406, "INT-VULN", [], { note: "level OK: never a finding" }),
  row(407, "LP-OPS", [A48], { note: "dangling reference, mostly RBAC bindings" }),
  row(600, "RES-CAP", [A23], { note: "HPA target missing" }),
  ...many([700, 701, 702, 703, 707, 711, 712], "RES-LB"),
  ...many([704, 705, 706], "RES-CAP", [A23], { note: "node resource pressure" }),
  row(708, "MON-MET", [], { note: "no node metrics" }),
  row(800, "RES-LB"),
  ...many([900, 901], "RES-LB"),
  ...many([1000, 1001, 1002, 1003, 1004], "RES-LB", [], { note: "volume availability" }),
  ...many([1100, 1105, 1106, 1109, 1110], "RES-LB", [SS7], { note: "service endpoints" }),
  row(1300, "LP-OPS", [A48], { note: "RBAC reference to a missing object" }),
  ...many([1500, 1501, 1502, 1503], "RES-LB"),
  row(666, "PLAT-CIS", [], { note: "Popeye's own lint error, not a cluster property" }),
];

/** POP-400 ("Used?") is about attack surface: unused roles/SAs are LP-OPS, unused secrets/config INT-SECRET. */
export const POPEYE_LINTER_OVERRIDES: ReadonlyMap<string, CheckMapping> = new Map([
  ["POP-400/secrets", row(400, "INT-SECRET", [SS1], { note: "unused secret" })],
  ["POP-400/sec", row(400, "INT-SECRET", [SS1], { note: "unused secret" })],
  ["POP-400/configmaps", row(400, "INT-SECRET", [SS1], { note: "unused ConfigMap" })],
  ["POP-400/cm", row(400, "INT-SECRET", [SS1], { note: "unused ConfigMap" })],
]);

// linter names: v0.20+ plural resource names, ≤0.11 the same, 2019 output short names (`po`, `dp`, …)
const BY_LINTER = new Map<string, StrategyId>([
  ...(["networkpolicies", "np", "services", "svc", "ingresses", "ing"] as const).map(
    (l) => [l, "PROT-EDGE"] as const,
  ),
  ...(["secrets", "sec", "configmaps", "cm"] as const).map((l) => [l, "INT-SECRET"] as const),
  ...(
    [
      "serviceaccounts",
      "sa",
      "roles",
      "ro",
      "clusterroles",
      "cr",
      "rolebindings",
      "rb",
      "clusterrolebindings",
      "crb",
    ] as const
  ).map((l) => [l, "LP-OPS"] as const),
  ...(["horizontalpodautoscalers", "hpa"] as const).map((l) => [l, "RES-CAP"] as const),
  ["cluster", "INT-VULN"],
]);
const POD_LIKE = new Set(["pods", "po", "deployments", "dp", "statefulsets", "sts", "daemonsets", "ds"]);

/** Strategy of a code with no row: 3xx (Popeye's Security section) → LP-*, others by the linter. */
export function popeyeFallbackStrategy(code: number | null, linter: string | null): StrategyId {
  const l = (linter ?? "").toLowerCase();
  if (code !== null && code >= 300 && code < 400) return POD_LIKE.has(l) ? "LP-CTR" : "LP-OPS";
  return BY_LINTER.get(l) ?? "RES-LB";
}
