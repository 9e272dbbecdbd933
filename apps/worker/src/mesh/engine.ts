import { type FindingDraft, type ManifestEntry, unreadableKinds } from "@bulwark/schema";
import { type CoverageFacts, coverageFacts } from "./coverage.js";
import { toDraft } from "./draft.js";
import { buildIndexes, Resolver } from "./effective/index.js";
import { buildInventory, type Inventory } from "./model/inventory.js";
import { refOf } from "./model/objects.js";
import { BUNDLE, NOT_EVIDENCED, RULES } from "./rules/registry.js";
import type { MeshContext, MeshRule, Need } from "./rules/types.js";

export interface BundleStatus {
  constraint: string;
  title: string;
  rules: string[];
  status: "pass" | "fail" | "not-evaluated";
}

export interface MeshAnalysis {
  findings: FindingDraft[];
  /** rules blind this time because the manifest says an input was unreadable: keep their findings */
  unevaluatedRuleIds: string[];
  coverage: CoverageFacts;
  meta: Record<string, unknown>;
}

/**
 * The kinds behind each input. When the uploader's manifest says one of them was forbidden or failed, the
 * input is unknown: rules needing it are not evaluated AND their earlier findings are kept (not resolved).
 */
const NEED_KINDS: Record<Need, readonly string[]> = {
  istio: [
    "PeerAuthentication",
    "AuthorizationPolicy",
    "RequestAuthentication",
    "Gateway",
    "VirtualService",
    "DestinationRule",
    "ServiceEntry",
    "Sidecar",
    "EnvoyFilter",
  ],
  meshConfig: ["ConfigMap"],
  namespaces: ["Namespace"],
  workloads: ["Pod"],
  services: ["Service"],
  rbac: ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"],
  istioSecrets: ["Secret"],
  istiod: [],
};

function unreadableInputs(rule: MeshRule, unreadable: ReadonlySet<string>): Need[] {
  return rule.needs.filter((n) => NEED_KINDS[n].some((k) => unreadable.has(k)));
}

function missingInputs(rule: MeshRule, inv: Inventory): Need[] {
  const has: Record<Need, () => boolean> = {
    istio: () => inv.presence.present,
    meshConfig: () => inv.cp.meshSource !== null,
    namespaces: () => inv.of("Namespace").length > 0,
    workloads: () => inv.workloads.length > 0,
    services: () => inv.of("Service").length > 0,
    rbac: () =>
      ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"].some((k) => inv.of(k).length > 0),
    istioSecrets: () => inv.of("Secret").some((s) => s.namespace === inv.cp.istioNamespace),
    istiod: () => inv.cp.istiod.length > 0,
  };
  return rule.needs.filter((n) => !has[n]());
}

/** Control-plane version from istiod's image tag (`…/pilot:1.22.3-distroless` → `1.22.3`). */
function versionOf(inv: Inventory): string | null {
  const image = inv.cp.istiod[0]?.image ?? "";
  const m = /:(\d+\.\d+(?:\.\d+)?)/.exec(image);
  return m?.[1] ?? null;
}

/** Run every registered rule over a mesh-config List. Pure: no I/O, deterministic output order. */
export function analyzeMesh(
  report: unknown,
  rules: readonly MeshRule[] = RULES,
  manifest?: readonly ManifestEntry[],
): MeshAnalysis {
  const unreadable = unreadableKinds(manifest);
  const inv = buildInventory(report);
  const resolver = new Resolver(inv, buildIndexes(inv));
  const partial: { id: string; why: string }[] = [];
  const ctx: MeshContext = {
    inv,
    resolver,
    root: inv.cp.rootNamespace,
    apps: inv.workloads.filter((w) => !w.system && !w.gateway),
    effective: (w) => resolver.of(w),
    partial: (id, why) => {
      partial.push({ id, why });
    },
  };
  const findings: FindingDraft[] = [];
  const evaluated: string[] = [];
  const notEvaluated: { id: string; missing: Need[]; unreadable?: Need[] }[] = [];
  const fired: Record<string, number> = {};
  for (const rule of rules) {
    const blind = unreadableInputs(rule, unreadable);
    if (blind.length > 0) {
      notEvaluated.push({ id: rule.id, missing: blind, unreadable: blind });
      continue;
    }
    const missing = missingInputs(rule, inv);
    if (missing.length > 0) {
      notEvaluated.push({ id: rule.id, missing });
      continue;
    }
    evaluated.push(rule.id);
    const seen = new Set<string>();
    for (const v of rule.check(ctx)) {
      // one finding per offending resource (and container): a rule never reports the same thing twice
      const key = `${refOf(v.resource)}#${v.container ?? ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(toDraft(rule, v));
    }
    if (seen.size > 0) fired[rule.id] = seen.size;
  }
  const skipped = new Set(notEvaluated.map((n) => n.id));
  const bundle: BundleStatus[] = BUNDLE.map((b) => ({
    constraint: b.constraint,
    title: b.title,
    rules: [...b.rules],
    status: b.rules.some((r) => fired[r])
      ? "fail"
      : b.rules.some((r) => skipped.has(r))
        ? "not-evaluated"
        : "pass",
  }));
  const coverage = coverageFacts(ctx);
  const byPlane = { sidecar: 0, ambient: 0, none: 0 };
  for (const w of ctx.apps) byPlane[w.dataPlane]++;
  const meta: Record<string, unknown> = {
    format: "kubernetes-list",
    mesh: {
      present: inv.presence.present,
      evidence: inv.presence.evidence,
      rootNamespace: inv.cp.rootNamespace,
      istioNamespace: inv.cp.istioNamespace,
      meshConfig: inv.cp.meshSource ? refOf(inv.cp.meshSource) : null,
      revisions: inv.cp.istiod.map((d) => d.revision),
      version: versionOf(inv),
    },
    inventory: { objects: inv.objects.length, ignored: inv.ignored, kinds: inv.counts },
    workloads: { total: inv.workloads.length, applications: ctx.apps.length, ...byPlane },
    rules: {
      registered: rules.length,
      evaluated: evaluated.length,
      fired,
      notEvaluated,
      partial,
      notEvidenced: NOT_EVIDENCED,
    },
    bundle,
    coverage,
    warnings: inv.cp.warnings,
  };
  const unevaluatedRuleIds = notEvaluated.filter((n) => n.unreadable).map((n) => n.id);
  return { findings, coverage, meta, unevaluatedRuleIds };
}
