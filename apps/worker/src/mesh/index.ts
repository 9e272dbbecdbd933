import { type Parser, ReportParseError } from "../parsers/types.js";
import { analyzeMesh } from "./engine.js";
import { RULES } from "./rules/registry.js";

/**
 * The `mesh-config` parser (contract §1.2): a Kubernetes List of the objects the collector read, analysed by
 * the mesh rule engine. `meta.mesh.present` says whether Istio is there at all; `meta.coverage` holds the
 * coverage facts the worker persists per cluster; `meta.rules.notEvaluated` lists rules whose inputs the
 * List lacks. Throws ReportParseError only when the report is not a List/object at all.
 */
/** Kinds the collector's mesh upload carries (besides Istio's own, which `mesh.present` covers). */
const MESH_INPUT_KINDS = new Set([
  "Namespace",
  "Pod",
  "Service",
  "ServiceAccount",
  "NetworkPolicy",
  "Role",
  "ClusterRole",
  "RoleBinding",
  "ClusterRoleBinding",
  "ConfigMap",
  "Secret",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ReplicaSet",
  "Job",
  "CronJob",
  "Gateway",
  "HTTPRoute",
]);

export const parseMeshConfig: Parser = (report, ctx) => {
  const { findings, meta, unevaluatedRuleIds } = analyzeMesh(report, RULES, ctx.manifest);
  // A cluster always has objects (Namespaces at least): a List with no Kubernetes object and no mesh
  // configuration is not an empty mesh but a wrong or empty upload, and must not resolve every finding.
  // Another List (trivy-operator reports) has objects but none the mesh analysis reads: refused as well.
  const inventory = meta.inventory as { kinds: Record<string, number> };
  const mesh = meta.mesh as { meshConfig: string | null; present: boolean };
  const read = Object.keys(inventory.kinds).some((k) => MESH_INPUT_KINDS.has(k.split("@")[0] as string));
  if (!read && mesh.meshConfig === null && !mesh.present) {
    throw new ReportParseError(
      "$.items",
      "no Kubernetes object the mesh analysis reads (Namespace, Pod, Service, RBAC, Istio …) and no mesh " +
        "configuration: not a cluster's mesh-config",
    );
  }
  return { findings, meta, unevaluatedRuleIds };
};

export type { CoverageFacts, Share } from "./coverage.js";
export { analyzeMesh, type MeshAnalysis } from "./engine.js";
export { BUNDLE, RULES } from "./rules/registry.js";
export type { MeshRule } from "./rules/types.js";
