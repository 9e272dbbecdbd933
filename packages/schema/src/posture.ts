import { SEVERITIES, type Severity } from "./severity.js";
import { CATEGORIES, type CategoryId, STRATEGIES } from "./taxonomy.js";

/**
 * The posture score (contract §2.2), documented in the README and the OpenAPI description:
 *
 *   weight W   = 10·critical + 5·high + 2·medium + 1·low (info weighs nothing), over open, unsuppressed findings
 *   strategy   = round(100 · 50 / (50 + W))   → 100 with nothing open, 50 at W = 50 (e.g. 5 critical), never 0
 *   category   = round(mean of its strategies' scores)
 *   overall    = round(mean of the categories' scores)
 *
 * Saturating rather than linear so one noisy scanner cannot pin everything at 0, and so fixing findings always
 * moves the score. Means keep one category from drowning the rest.
 */
export const SEVERITY_WEIGHTS: Record<Severity, number> = {
  critical: 10,
  high: 5,
  medium: 2,
  low: 1,
  info: 0,
};
export const SCORE_HALF_WEIGHT = 50;

export type SeverityCounts = Record<Severity, number>;

export function emptyCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

export function weightOf(open: SeverityCounts): number {
  return SEVERITIES.reduce((w, s) => w + SEVERITY_WEIGHTS[s] * open[s], 0);
}

export function strategyScore(open: SeverityCounts): number {
  return Math.round((100 * SCORE_HALF_WEIGHT) / (SCORE_HALF_WEIGHT + weightOf(open)));
}

export interface StrategyPosture {
  id: string;
  name: string;
  score: number;
  open: SeverityCounts;
  resolved: number;
}
export interface CategoryPosture extends Omit<StrategyPosture, "id"> {
  id: CategoryId;
  strategies: StrategyPosture[];
}
export interface Posture {
  score: number;
  open: SeverityCounts;
  resolved: number;
  categories: CategoryPosture[];
}

const mean = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length));

function addCounts(into: SeverityCounts, from: SeverityCounts): void {
  for (const s of SEVERITIES) into[s] += from[s];
}

/** Every category and strategy of the taxonomy, from open counts and 7-day resolutions keyed by strategy. */
export function computePosture(
  openByStrategy: Map<string, SeverityCounts>,
  resolvedByStrategy: Map<string, number>,
): Posture {
  const total = emptyCounts();
  let resolvedTotal = 0;
  const categories = CATEGORIES.map((c): CategoryPosture => {
    const strategies = STRATEGIES.filter((s) => s.category === c.id).map((s): StrategyPosture => {
      const open = { ...(openByStrategy.get(s.id) ?? emptyCounts()) };
      return {
        id: s.id,
        name: s.name,
        score: strategyScore(open),
        open,
        resolved: resolvedByStrategy.get(s.id) ?? 0,
      };
    });
    const open = emptyCounts();
    for (const s of strategies) addCounts(open, s.open);
    const resolved = strategies.reduce((n, s) => n + s.resolved, 0);
    addCounts(total, open);
    resolvedTotal += resolved;
    return {
      id: c.id,
      name: c.name,
      score: mean(strategies.map((s) => s.score)),
      open,
      resolved,
      strategies,
    };
  });
  return { score: mean(categories.map((c) => c.score)), open: total, resolved: resolvedTotal, categories };
}
