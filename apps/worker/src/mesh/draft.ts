import { type FindingDraft, taxonomyFor } from "@bulwark/schema";
import { refOf } from "./model/objects.js";
import type { MeshRule, Violation } from "./rules/types.js";

/** Details stay small whatever the mesh size: affected workloads are listed up to this many, then counted. */
export const MAX_AFFECTED = 50;

/**
 * One finding per (rule, offending resource). Identity is the rule id and that resource only: never pod
 * names, never the affected workloads, so a rollout or a new replica keeps the finding's fingerprint.
 */
export function toDraft(rule: MeshRule, v: Violation): FindingDraft {
  const affected = v.affected ?? [];
  return {
    ruleId: rule.id,
    title: rule.title,
    severity: v.severity ?? rule.severity,
    resource: {
      kind: v.resource.kind,
      namespace: v.resource.namespace,
      name: v.resource.name,
      container: v.container ?? null,
      image: null,
    },
    taxonomy: taxonomyFor(rule.strategy, rule.nist),
    remediation: `${rule.remediation}\n\n\`\`\`yaml\n${rule.fix(v).trim()}\n\`\`\``,
    references: [...rule.references],
    details: {
      message: v.message,
      rationale: rule.rationale,
      offending: refOf(v.resource),
      affectedCount: affected.length,
      affectedWorkloads: affected.slice(0, MAX_AFFECTED).map((w) => w.key),
      ...(v.evidence ? { evidence: v.evidence } : {}),
      ...(rule.also ? { also: [...rule.also] } : {}),
      ...(rule.bundle ? { bundle: rule.bundle } : {}),
    },
    identity: [],
  };
}
