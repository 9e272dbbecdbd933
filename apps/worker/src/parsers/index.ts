import type { Source } from "@bulwark/schema";
import { parseMeshConfig } from "../mesh/index.js";
import { parseIstioctlAnalyze } from "./istioctl-analyze.js";
import { parseKubeBench } from "./kube-bench.js";
import { parseKubeHunter } from "./kube-hunter.js";
import { parseKubescape } from "./kubescape.js";
import { parsePolaris } from "./polaris.js";
import { parsePopeye } from "./popeye.js";
import { parseTrivy } from "./trivy/index.js";
import { parseTrivyOperator } from "./trivy-operator/index.js";
import type { Parser } from "./types.js";

/**
 * The normalisation seam: one pure parser per report source. A source without an entry is accepted by the
 * API but not normalised yet; adding a tool means adding its parser here.
 */
export const PARSERS: Partial<Record<Source, Parser>> = {
  trivy: parseTrivy,
  "trivy-operator": parseTrivyOperator,
  "kube-bench": parseKubeBench,
  polaris: parsePolaris,
  popeye: parsePopeye,
  kubescape: parseKubescape,
  "kube-hunter": parseKubeHunter,
  "istioctl-analyze": parseIstioctlAnalyze,
  "mesh-config": parseMeshConfig,
};

export { resolveOwner } from "./owner.js";
export { normalizeCheckId } from "./trivy/check-id.js";
export type { ParseContext, ParseResult, Parser } from "./types.js";
export { ReportParseError } from "./types.js";
