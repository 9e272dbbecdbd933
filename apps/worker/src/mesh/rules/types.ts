import type { Severity, StrategyId } from "@bulwark/schema";
import type { Effective, Resolver } from "../effective/index.js";
import type { ObjectRef } from "../model/control-plane.js";
import type { Inventory } from "../model/inventory.js";
import type { Workload } from "../model/workloads.js";

/**
 * Inputs a rule reads. A rule whose input the List lacks is "not evaluated" (listed in meta), never a
 * violation: an absent mesh ConfigMap says nothing about the mesh config.
 */
export type Need =
  | "istio"
  | "meshConfig"
  | "namespaces"
  | "workloads"
  | "services"
  | "rbac"
  | "istioSecrets"
  | "istiod";

/** The five constraints of a managed mesh's policy bundle, each met by one or more rules. */
export type BundleConstraint =
  | "mesh-strict-mtls"
  | "no-weaker-peer-authentication"
  | "mesh-default-deny"
  | "safe-authorization-patterns"
  | "sidecar-always-injected";

export interface Violation {
  /** the offending resource: the finding's identity together with the rule id */
  resource: ObjectRef;
  container?: string | null;
  /** workloads the violation exposes (listed in details, capped) */
  affected?: readonly Workload[];
  /** overrides the rule's severity when the violation is graver or milder than usual */
  severity?: Severity;
  message: string;
  evidence?: Record<string, unknown>;
}

export interface MeshContext {
  inv: Inventory;
  resolver: Resolver;
  root: string;
  /** application workloads: outside system namespaces, not gateways */
  apps: readonly Workload[];
  effective(w: Workload): Effective;
  /** a rule ran on part of its inputs only (e.g. Sidecars without the mesh config) */
  partial(ruleId: string, why: string): void;
}

export interface MeshRule {
  id: string;
  title: string;
  severity: Severity;
  strategy: StrategyId;
  /** H/M NIST identifiers or section-level citations (nist.ts) */
  nist: readonly string[];
  also?: readonly StrategyId[];
  needs: readonly Need[];
  /** true when the rule concerns sidecar proxies only: ambient workloads are never its subject */
  sidecarOnly?: boolean;
  bundle?: BundleConstraint;
  rationale: string;
  /** what to do, in prose; `fix` adds the corrected YAML */
  remediation: string;
  fix(v: Violation): string;
  references: readonly string[];
  check(ctx: MeshContext): Violation[];
}
