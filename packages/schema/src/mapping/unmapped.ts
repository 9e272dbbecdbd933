import type { FindingDraft } from "../finding.js";
import type { Source } from "../sources.js";

/** One check id a tool reported that no mapping table knows (placed by the tool's category instead). */
export interface UnmappedRuleId {
  tool: Source;
  ruleId: string;
  /** how many of the given drafts carry it */
  findings: number;
}

/**
 * The (tool, ruleId) pairs among `drafts` whose taxonomy was not found in a table (`taxonomy.mapped` false),
 * sorted by ruleId: the gaps to close, e.g. listed per tenant by the API.
 */
export function unmappedRuleIds(
  tool: Source,
  drafts: readonly Pick<FindingDraft, "ruleId" | "taxonomy">[],
): UnmappedRuleId[] {
  const counts = new Map<string, number>();
  for (const d of drafts) if (!d.taxonomy.mapped) counts.set(d.ruleId, (counts.get(d.ruleId) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([ruleId, findings]) => ({ tool, ruleId, findings }));
}
