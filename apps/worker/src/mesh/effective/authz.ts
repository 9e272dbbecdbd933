import { type K8sObject, type Rec, rec, recs, str, strs } from "../model/objects.js";
import type { Scoped } from "./scope.js";

export type AuthzAction = "ALLOW" | "DENY" | "AUDIT" | "CUSTOM";

/** The AuthorizationPolicies that apply to one workload, by action. Dry-run ones are not enforced. */
export interface AuthzSet {
  allow: Scoped[];
  deny: Scoped[];
  custom: Scoped[];
  audit: Scoped[];
  dryRun: Scoped[];
}

export function actionOf(o: K8sObject): AuthzAction {
  const a = str(o.spec.action)?.toUpperCase();
  return a === "DENY" || a === "AUDIT" || a === "CUSTOM" ? a : "ALLOW";
}

export const isDryRun = (o: K8sObject) => o.annotations["istio.io/dry-run"] === "true";

export const rulesOf = (o: K8sObject): Rec[] => recs(o.spec.rules);

/** A rule with no from, to or when matches every request. */
export function isEmptyRule(r: Rec): boolean {
  return recs(r.from).length === 0 && recs(r.to).length === 0 && recs(r.when).length === 0;
}

/** ALLOW without rules (`spec: {}` included) allows nothing: the default-deny idiom. */
export const isAllowNothing = (o: K8sObject) => actionOf(o) === "ALLOW" && rulesOf(o).length === 0;

export const isDenyAll = (o: K8sObject) => actionOf(o) === "DENY" && rulesOf(o).some(isEmptyRule);

export function buildAuthzSet(policies: readonly Scoped[]): AuthzSet {
  const set: AuthzSet = { allow: [], deny: [], custom: [], audit: [], dryRun: [] };
  for (const p of policies) {
    if (isDryRun(p.obj)) {
      set.dryRun.push(p);
      continue;
    }
    const a = actionOf(p.obj);
    if (a === "ALLOW") set.allow.push(p);
    else if (a === "DENY") set.deny.push(p);
    else if (a === "CUSTOM") set.custom.push(p);
    else set.audit.push(p);
  }
  return set;
}

/** Under a default deny: an enforced allow-nothing or deny-all policy applies. */
export const hasDefaultDeny = (s: AuthzSet) =>
  s.allow.some((p) => isAllowNothing(p.obj)) || s.deny.some((p) => isDenyAll(p.obj));

const sources = (r: Rec): Rec[] => recs(r.from).map((f) => rec(f.source));

/**
 * A request without a token is refused by some enforced policy: an ALLOW rule whose every source names
 * requestPrincipals (or whose conditions read request.auth.*), or a DENY rule on notRequestPrincipals.
 */
export function requiresToken(s: AuthzSet): boolean {
  const allowNeeds = s.allow.some((p) =>
    rulesOf(p.obj).some((r) => {
      const src = sources(r);
      const bySource = src.length > 0 && src.every((x) => strs(x.requestPrincipals).length > 0);
      const byWhen = recs(r.when).some((c) => (str(c.key) ?? "").startsWith("request.auth."));
      return bySource || byWhen;
    }),
  );
  const denyNeeds = s.deny.some((p) =>
    rulesOf(p.obj).some((r) => sources(r).some((x) => strs(x.notRequestPrincipals).length > 0)),
  );
  return allowNeeds || denyNeeds;
}
