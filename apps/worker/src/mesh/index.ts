import type { Parser } from "../parsers/types.js";
import { analyzeMesh } from "./engine.js";
import { RULES } from "./rules/registry.js";

/**
 * The `mesh-config` parser (contract §1.2): a Kubernetes List of the objects the collector read, analysed by
 * the mesh rule engine. `meta.mesh.present` says whether Istio is there at all; `meta.coverage` holds the
 * coverage facts the worker persists per cluster; `meta.rules.notEvaluated` lists rules whose inputs the
 * List lacks. Throws ReportParseError only when the report is not a List/object at all.
 */
export const parseMeshConfig: Parser = (report, ctx) => {
  const { findings, meta, unevaluatedRuleIds } = analyzeMesh(report, RULES, ctx.manifest);
  return { findings, meta, unevaluatedRuleIds };
};

export type { CoverageFacts, Share } from "./coverage.js";
export { analyzeMesh, type MeshAnalysis } from "./engine.js";
export { BUNDLE, RULES } from "./rules/registry.js";
export type { MeshRule } from "./rules/types.js";
