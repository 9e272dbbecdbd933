import { type Rec, rec, recs, str, strs } from "../model/objects.js";
import { type AuthzSet, rulesOf } from "./authz.js";
import type { Scoped } from "./scope.js";

/** A simplified request, enough to show how a workload's policy set decides. */
export interface Request {
  principal?: string;
  namespace?: string;
  requestPrincipal?: string;
  claims?: Record<string, string>;
  host?: string;
  method?: string;
  path?: string;
  port?: number;
}

export interface Decision {
  decision: "ALLOW" | "DENY" | "CUSTOM";
  /** the policy that decided, null for the defaults (no ALLOW policy → allow; ALLOW policies, none matched → deny) */
  by: string | null;
}

/** Istio's string match: exact, `prefix*`, `*suffix`, or `*` (any non-empty value). */
function glob(pattern: string, value: string | undefined): boolean {
  if (value === undefined || value === "") return false;
  if (pattern === "*") return true;
  if (pattern.endsWith("*")) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith("*")) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

/** A field pair (`principals` / `notPrincipals`): the positive list must match, the negative must not. */
function field(o: Rec, name: string, value: string | undefined): boolean {
  const pos = strs(o[name]);
  const neg = strs(o[`not${name[0]?.toUpperCase()}${name.slice(1)}`]);
  if (pos.length > 0 && !pos.some((p) => glob(p, value))) return false;
  if (neg.some((p) => glob(p, value))) return false;
  return true;
}

function sourceMatches(s: Rec, r: Request): boolean {
  return (
    field(s, "principals", r.principal) &&
    field(s, "namespaces", r.namespace) &&
    field(s, "requestPrincipals", r.requestPrincipal)
  );
}

function operationMatches(o: Rec, r: Request): boolean {
  return (
    field(o, "hosts", r.host) &&
    field(o, "methods", r.method) &&
    field(o, "paths", r.path) &&
    field(o, "ports", r.port === undefined ? undefined : String(r.port))
  );
}

function conditionValue(key: string, r: Request): string | undefined {
  if (key === "source.principal") return r.principal;
  if (key === "source.namespace") return r.namespace;
  if (key === "request.auth.principal") return r.requestPrincipal;
  if (key === "destination.port") return r.port === undefined ? undefined : String(r.port);
  const claim = /^request\.auth\.claims\[(.+)\]$/.exec(key);
  return claim?.[1] ? r.claims?.[claim[1]] : undefined;
}

function ruleMatches(rule: Rec, r: Request): boolean {
  const from = recs(rule.from);
  const to = recs(rule.to);
  if (from.length > 0 && !from.some((f) => sourceMatches(rec(f.source), r))) return false;
  if (to.length > 0 && !to.some((t) => operationMatches(rec(t.operation), r))) return false;
  return recs(rule.when).every((c) => {
    const v = conditionValue(str(c.key) ?? "", r);
    const values = strs(c.values);
    if (values.length > 0 && !values.some((p) => glob(p, v))) return false;
    return !strs(c.notValues).some((p) => glob(p, v));
  });
}

const matches = (p: Scoped, r: Request) => rulesOf(p.obj).some((rule) => ruleMatches(rule, r));
const ref = (p: Scoped) => `AuthorizationPolicy/${p.obj.namespace}/${p.obj.name}`;

/**
 * The enforcement order of istiod's RBAC filters: CUSTOM, then DENY, then ALLOW; with no ALLOW policy the
 * request is allowed, with ALLOW policies it must match one. AUDIT and dry-run policies never decide.
 */
export function decide(set: AuthzSet, r: Request): Decision {
  const custom = set.custom.find((p) => matches(p, r));
  if (custom) return { decision: "CUSTOM", by: ref(custom) };
  const deny = set.deny.find((p) => matches(p, r));
  if (deny) return { decision: "DENY", by: ref(deny) };
  if (set.allow.length === 0) return { decision: "ALLOW", by: null };
  const allow = set.allow.find((p) => matches(p, r));
  return allow ? { decision: "ALLOW", by: ref(allow) } : { decision: "DENY", by: null };
}
