import { MESH_CNI_RULE } from "../normalize/mesh-fold.js";
import type { KeepOpen, Skipped } from "../parsers/tolerance.js";

/**
 * What this snapshot must neither confirm nor resolve: rules it could not evaluate (an unreadable input) and
 * whatever a skipped entry might have produced. A skipped entry may also have been folded into the
 * sidecar-design finding, so that one is kept too.
 */
export function keepOpenOf(
  unevaluatedRuleIds: string[] | undefined,
  skipped: Skipped | undefined,
): KeepOpen[] {
  const keep: KeepOpen[] = (unevaluatedRuleIds ?? []).map((ruleId) => ({ ruleId }));
  if (skipped) keep.push(...skipped.keepOpen, { ruleId: MESH_CNI_RULE });
  return keep;
}
