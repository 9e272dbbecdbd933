export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rank used for ordering: lower is more severe (critical = 0). */
export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
export const SEVERITY_BY_RANK: readonly Severity[] = SEVERITIES;

/** Trivy / trivy-operator vocabulary (CRITICAL|HIGH|MEDIUM|LOW|UNKNOWN). UNKNOWN is kept as info. */
export function fromTrivySeverity(s: string | null | undefined): Severity {
  switch ((s ?? "").toUpperCase()) {
    case "CRITICAL":
      return "critical";
    case "HIGH":
      return "high";
    case "MEDIUM":
      return "medium";
    case "LOW":
      return "low";
    default:
      return "info";
  }
}
