import { actionOf, isDryRun, isEmptyRule, rulesOf } from "../effective/authz.js";
import { type Rec, rec, recs, strs } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { affectedBy, meta, objRef, y } from "./util.js";

/** A rule whose only condition is "any identity" / "any namespace" matches every mTLS caller. */
function isWildcardOnly(r: Rec): boolean {
  if (recs(r.to).length > 0 || recs(r.when).length > 0) return false;
  const sources = recs(r.from).map((f) => rec(f.source));
  return (
    sources.length > 0 &&
    sources.some((s) => {
      const keys = Object.keys(s).filter((k) => strs(s[k]).length > 0);
      return (
        keys.length === 1 &&
        (keys[0] === "principals" || keys[0] === "namespaces") &&
        strs(s[keys[0]]).includes("*")
      );
    })
  );
}

export const rule: MeshRule = {
  id: "MESH-AUTHZ-02",
  title: "ALLOW policy with an allow-all rule",
  severity: "high",
  strategy: "PROT-AUTHZ",
  nist: [N.APE3],
  needs: ["istio"],
  bundle: "safe-authorization-patterns",
  rationale:
    'An ALLOW rule that is empty (`rules: [{}]`) or only says `principals: ["*"]` / `namespaces: ["*"]` ' +
    "matches every request (or every meshed caller): it silently cancels the default deny for the selected " +
    "workloads.",
  remediation:
    "Replace the rule with the callers that need access (principals of their ServiceAccounts) and the " +
    "operations they need (methods, paths, ports).",
  fix: (v) =>
    y({
      apiVersion: "security.istio.io/v1",
      kind: "AuthorizationPolicy",
      metadata: meta(v.resource),
      spec: {
        ...(v.evidence?.selector ? { selector: { matchLabels: v.evidence.selector } } : {}),
        action: "ALLOW",
        rules: [
          {
            from: [{ source: { principals: [`cluster.local/ns/${v.resource.namespace}/sa/<caller>`] } }],
            to: [{ operation: { methods: ["GET"], paths: ["/api/*"] } }],
          },
        ],
      },
    }),
  references: [ISTIO_DOCS.authz],
  check(ctx) {
    const out: Violation[] = [];
    const index = ctx.resolver.indexes.authz;
    for (const p of index.all()) {
      if (actionOf(p.obj) !== "ALLOW" || isDryRun(p.obj)) continue;
      const rules = rulesOf(p.obj);
      const empty = rules.findIndex(isEmptyRule);
      const wildcard = rules.findIndex(isWildcardOnly);
      if (empty < 0 && wildcard < 0) continue;
      out.push({
        resource: objRef(p.obj),
        affected: affectedBy(ctx, index, p),
        message:
          empty >= 0
            ? `rules[${empty}] is empty: allows every request`
            : `rules[${wildcard}] allows any caller`,
        evidence: { selector: p.selector, rule: empty >= 0 ? empty : wildcard },
      });
    }
    return out;
  },
};
