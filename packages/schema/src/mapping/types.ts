import type { StrategyId } from "../taxonomy.js";

/**
 * One row of a check-mapping table: which strategy a tool's check evidences and which NIST items it relates to.
 * `nist` holds only H/M-confidence identifiers or section-level citations (TAXONOMY.md); an empty list means
 * "no usable reference in the proposal" and taxonomyFor() falls back to the strategy's own citations.
 */
export interface CheckMapping {
  /** the normalised check id (e.g. `KSV-0001`), the rule name for text rules, the test number for overrides */
  id: string;
  strategy: StrategyId;
  nist: readonly string[];
  /** secondary strategies (the proposal's "LP-CTR; PROT-COVER" → strategy LP-CTR, also PROT-COVER) */
  also?: readonly StrategyId[];
  note?: string;
}

/** A mapping chosen by the check's text: CIS numbering moves between benchmark versions, the wording does not. */
export interface TextRule extends CheckMapping {
  pattern: RegExp;
}

/** A mapping pinned to one benchmark version and test number, consulted before the text rules. */
export interface VersionOverride extends CheckMapping {
  benchmark: string;
}

/** `SP 800-204 MS-SS-4`, `SP 800-204A SM-DR6`, `SP 800-204B AHLC-SR-4`, `SP 800-204A §4.5`. */
export const NIST_CITATION = /^SP 800-204[A-D]? (?:MS-SS-\d+|SM-DR\d+|[A-Z]{3,5}-SR-\d+|§\d+(?:\.\d+)*)$/;

// Citations used by the tables. Only identifiers marked H or M in nist-800-204-taxonomy.md appear here;
// L/? ones (e.g. the proposal's "AHLC-SR (?)") are left out and the row falls back to the strategy defaults,
// because the taxonomy note gives no section number for 800-204B's container-hardening family.
export const NIST = {
  SS1: "SP 800-204 MS-SS-1",
  SS2: "SP 800-204 MS-SS-2",
  SS3: "SP 800-204 MS-SS-3",
  SS4: "SP 800-204 MS-SS-4",
  SS5: "SP 800-204 MS-SS-5",
  SS6: "SP 800-204 MS-SS-6",
  SS7: "SP 800-204 MS-SS-7",
  SS8: "SP 800-204 MS-SS-8",
  SS9: "SP 800-204 MS-SS-9",
  SS13: "SP 800-204 MS-SS-13",
  DR1: "SP 800-204A SM-DR1",
  DR2: "SP 800-204A SM-DR2",
  DR6: "SP 800-204A SM-DR6",
  DR8: "SP 800-204A SM-DR8",
  DR11: "SP 800-204A SM-DR11",
  DR12: "SP 800-204A SM-DR12",
  A23: "SP 800-204A §2.3",
  A42: "SP 800-204A §4.2",
  A45: "SP 800-204A §4.5",
  A46: "SP 800-204A §4.6",
  A47: "SP 800-204A §4.7",
  A48: "SP 800-204A §4.8",
  AHLC1: "SP 800-204B AHLC-SR-1",
  AHLC4: "SP 800-204B AHLC-SR-4",
  APE3: "SP 800-204B APE-SR-3",
  EAUN1: "SP 800-204B EAUN-SR-1",
  SS10: "SP 800-204 MS-SS-10",
  DR13: "SP 800-204A SM-DR13",
  DR16: "SP 800-204A SM-DR16",
  DR18: "SP 800-204A SM-DR18",
  SAUZ1: "SP 800-204B SAUZ-SR-1",
  /** "service-to-service requests authorized on the identities of caller and callee" (quoted, H) */
  B521: "SP 800-204B §5.2.1",
} as const;
