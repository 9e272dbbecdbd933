import { type K8sObject, type Rec, rec, recs, str, strs } from "../model/objects.js";
import type { MeshContext, Violation } from "./types.js";
import { objRef } from "./util.js";

export const WRITE = ["create", "update", "patch", "delete", "deletecollection"];

/** What a grant covers: API groups × resources × verbs (any match, `*` matching all). */
export interface Grant {
  groups: readonly string[];
  resources: readonly string[];
  verbs: readonly string[];
}

/** Label that marks a binding as the platform team's own (its subjects are trusted). */
export const PLATFORM_LABEL = "bulwark.dev/platform";

const any = (have: string[], want: readonly string[]) =>
  have.includes("*") || want.some((w) => have.includes(w));

export function ruleGrants(rules: readonly Rec[], g: Grant): boolean {
  return rules.some(
    (r) =>
      any(strs(r.apiGroups), g.groups) && any(strs(r.resources), g.resources) && any(strs(r.verbs), g.verbs),
  );
}

export interface Binding {
  obj: K8sObject;
  roleRef: string;
  rules: Rec[];
  /** subjects outside the platform (kube-system / Istio ServiceAccounts, system: users and groups) */
  subjects: string[];
  /** the namespace the grant is confined to, null = cluster-wide */
  scope: string | null;
}

/** Bindings to non-platform subjects, with their role's rules. cluster-admin is left to the KSV checks. */
export function bindings(ctx: MeshContext): Binding[] {
  const platformNs = new Set(["kube-system", ctx.inv.cp.istioNamespace, ctx.root]);
  const clusterRoles = new Map(ctx.inv.of("ClusterRole").map((r) => [r.name, recs(r.raw.rules)]));
  const roles = new Map(ctx.inv.of("Role").map((r) => [`${r.namespace}/${r.name}`, recs(r.raw.rules)]));
  const out: Binding[] = [];
  for (const b of [...ctx.inv.of("RoleBinding"), ...ctx.inv.of("ClusterRoleBinding")]) {
    if (b.labels[PLATFORM_LABEL] === "true") continue;
    const ref = rec(b.raw.roleRef);
    const kind = str(ref.kind) ?? "ClusterRole";
    const name = str(ref.name) ?? "";
    if (kind === "ClusterRole" && name === "cluster-admin") continue;
    const rules = kind === "ClusterRole" ? clusterRoles.get(name) : roles.get(`${b.namespace}/${name}`);
    if (!rules) continue;
    const subjects = recs(b.raw.subjects)
      .filter((s) => {
        const sk = str(s.kind);
        const sn = str(s.name) ?? "";
        if (sk === "ServiceAccount") return !platformNs.has(str(s.namespace) ?? b.namespace ?? "");
        return !sn.startsWith("system:");
      })
      .map((s) => `${str(s.kind)}:${str(s.namespace) ? `${str(s.namespace)}/` : ""}${str(s.name)}`);
    if (subjects.length === 0) continue;
    out.push({
      obj: b,
      roleRef: `${kind}/${name}`,
      rules,
      subjects,
      scope: b.kind === "RoleBinding" ? b.namespace : null,
    });
  }
  return out;
}

export function grantViolations(ctx: MeshContext, grants: readonly Grant[], what: string): Violation[] {
  return bindings(ctx)
    .filter((b) => grants.some((g) => ruleGrants(b.rules, g)))
    .map((b) => ({
      resource: objRef(b.obj),
      message: `${b.roleRef} lets ${b.subjects.slice(0, 5).join(", ")}${b.subjects.length > 5 ? ", …" : ""} ${what}${b.scope ? ` in ${b.scope}` : " cluster-wide"}`,
      evidence: { roleRef: b.roleRef, subjects: b.subjects.slice(0, 20), scope: b.scope ?? "cluster" },
    }));
}
