import { KUBE_BENCH_OVERRIDES, KUBE_BENCH_RULES } from "./kube-bench.js";
import { TRIVY_CHECKS } from "./trivy.js";
import type { CheckMapping, TextRule, VersionOverride } from "./types.js";

export * from "./kube-bench.js";
export * from "./trivy.js";
export * from "./types.js";

const trivyById = new Map<string, CheckMapping>(TRIVY_CHECKS.map((m) => [m.id, m]));

/** The row for a normalised Trivy check id (`KSV-0001`, `KCV-0012`, `DS-0002`), if the table has one. */
export function trivyCheckMapping(normalizedId: string): CheckMapping | undefined {
  return trivyById.get(normalizedId);
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
