import { type CheckMapping, type StrategyId, type Taxonomy, taxonomyFor } from "@bulwark/schema";

export interface Placed {
  taxonomy: Taxonomy;
  /** secondary strategies of the table row, kept in details */
  also: readonly StrategyId[] | null;
}

/**
 * A table row's taxonomy, or, for an id no table knows, the strategy the tool's own category suggests with
 * `mapped: false` (TAXONOMY.md: such gaps are listed and closed, never dropped).
 */
export function place(row: CheckMapping | undefined, fallback: StrategyId): Placed {
  if (row) return { taxonomy: taxonomyFor(row.strategy, row.nist, true), also: row.also ?? null };
  return { taxonomy: taxonomyFor(fallback, undefined, false), also: null };
}

/** `Container 'istio-proxy' of Deployment 'web' should …` (Trivy / trivy-operator check messages). */
export function containerOfMessage(message: string): string | null {
  if (!message.startsWith("Container '")) return null;
  const end = message.indexOf("'", 11);
  return end > 11 ? message.slice(11, end) : null;
}

/** At most `max` items, each string capped: details stay small whatever the report holds. */
export function capStrings(list: readonly string[], max: number, maxLen = 300): string[] {
  const out: string[] = [];
  for (let i = 0; i < list.length && out.length < max; i++) {
    const s = list[i] as string;
    out.push(s.length > maxLen ? `${s.slice(0, maxLen)}…` : s);
  }
  return out;
}

export function capString(s: string | null, maxLen: number): string | null {
  return s !== null && s.length > maxLen ? `${s.slice(0, maxLen)}…` : s;
}
