import type { Source } from "@bulwark/schema";
import { parseKubeBench } from "./kube-bench.js";
import { parseTrivy } from "./trivy/index.js";
import type { Parser } from "./types.js";

/**
 * The normalisation seam: one pure parser per report source. A source without an entry is accepted by the
 * API but not normalised yet; adding a tool means adding its parser here.
 */
export const PARSERS: Partial<Record<Source, Parser>> = {
  trivy: parseTrivy,
  "kube-bench": parseKubeBench,
};

export { resolveOwner } from "./owner.js";
export { normalizeCheckId } from "./trivy/check-id.js";
export type { ParseContext, ParseResult, Parser } from "./types.js";
export { ReportParseError } from "./types.js";
