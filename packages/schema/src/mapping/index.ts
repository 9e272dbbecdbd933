import { ISTIOCTL_CODES } from "./istioctl.js";
import { KUBE_BENCH_OVERRIDES, KUBE_BENCH_RULES } from "./kube-bench.js";
import { KUBE_HUNTER_VULNS } from "./kube-hunter.js";
import { KUBESCAPE_CONTROLS } from "./kubescape.js";
import { POLARIS_CHECKS } from "./polaris.js";
import { POPEYE_CODES, POPEYE_LINTER_OVERRIDES } from "./popeye.js";
import { TRIVY_CHECKS } from "./trivy.js";
import type { CheckMapping, TextRule, VersionOverride } from "./types.js";

export * from "./istioctl.js";
export * from "./kube-bench.js";
export * from "./kube-hunter.js";
export * from "./kubescape.js";
export * from "./polaris.js";
export * from "./popeye.js";
export * from "./trivy.js";
export * from "./types.js";
export * from "./unmapped.js";

const byId = (table: readonly CheckMapping[]) => new Map<string, CheckMapping>(table.map((m) => [m.id, m]));
const trivyById = byId(TRIVY_CHECKS);
const polarisById = byId(POLARIS_CHECKS);
const popeyeById = byId(POPEYE_CODES);
const kubescapeById = byId(KUBESCAPE_CONTROLS);
const kubeHunterById = byId(KUBE_HUNTER_VULNS);
const istioctlById = byId(ISTIOCTL_CODES);

/** The row for a normalised Trivy check id (`KSV-0001`, `KCV-0012`, `DS-0002`), if the table has one. */
export function trivyCheckMapping(normalizedId: string): CheckMapping | undefined {
  return trivyById.get(normalizedId);
}

export function polarisCheckMapping(checkId: string): CheckMapping | undefined {
  return polarisById.get(checkId);
}

/** A Popeye code (`POP-400`), refined by the linter that reported it where the table says so. */
export function popeyeCodeMapping(code: string, linter: string | null): CheckMapping | undefined {
  return (linter ? POPEYE_LINTER_OVERRIDES.get(`${code}/${linter}`) : undefined) ?? popeyeById.get(code);
}

/**
 * A Kubescape control: the table by controlID, else for `CIS-x.y.z` controls the kube-bench text rules on
 * the control's name (it is the CIS recommendation's wording, the same text kube-bench reports).
 */
export function kubescapeControlMapping(controlId: string, name: string | null): CheckMapping | undefined {
  const row = kubescapeById.get(controlId);
  if (row || !name || !controlId.startsWith("CIS-")) return row;
  return kubeBenchMapping(null, controlId.slice(4), name);
}

export function kubeHunterMapping(vidOrName: string): CheckMapping | undefined {
  return kubeHunterById.get(vidOrName);
}

export function istioctlCodeMapping(code: string): CheckMapping | undefined {
  return istioctlById.get(code);
}

const overrideKey = (benchmark: string, testNumber: string) => `${benchmark}\u0000${testNumber}`;

/**
 * The mapping of one kube-bench check: a (benchmark, test number) override first, then the first text rule
 * whose pattern matches test_desc. Tables are parameters so tests can exercise the override path.
 */
export function kubeBenchMapping(
  benchmark: string | null,
  testNumber: string,
  text: string,
  rules: readonly TextRule[] = KUBE_BENCH_RULES,
  overrides: readonly VersionOverride[] = KUBE_BENCH_OVERRIDES,
): CheckMapping | undefined {
  if (benchmark !== null && overrides.length > 0) {
    const key = overrideKey(benchmark, testNumber);
    const pinned = overrides.find((o) => overrideKey(o.benchmark, o.id) === key);
    if (pinned) return pinned;
  }
  return rules.find((r) => r.pattern.test(text));
}
