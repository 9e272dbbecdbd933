import { actionOf, isDryRun, rulesOf } from "../effective/authz.js";
import { rec, recs, strs } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { affectedBy, meta, objRef, y } from "./util.js";

/** Annotation that records why a policy admits other namespaces; its presence quiets the rule. */
export const CROSS_NS_JUSTIFICATION = "security.bulwark.dev/cross-namespace";

/** Source namespaces a rule admits other than its own (wildcards count: they cannot be reviewed). */
export function foreignSources(ns: string, rules: ReturnType<typeof rulesOf>): string[] {
  const out = new Set<string>();
  for (const r of rules) {
    for (const f of recs(r.from)) {
      const s = rec(f.source);
      for (const n of strs(s.namespaces)) if (n !== ns) out.add(`namespace ${n}`);
      for (const p of strs(s.principals)) {
        const m = /\/ns\/([^/]+)\/sa\//.exec(p);
        if (m ? m[1] !== ns : p.includes("*")) out.add(`principal ${p}`);
      }
    }
  }
  return [...out].sort();
}

export const rule: MeshRule = {
  id: "MESH-AUTHZ-05",
  title: "ALLOW policy admits callers from other namespaces without a recorded justification",
  severity: "low",
  strategy: "PROT-AUTHZ",
  nist: [N.APE3, N.SAUZ1],
  needs: ["istio"],
  rationale:
    "APE-SR-3 confines traffic to the application's own namespace by default and allows cross-namespace " +
    "calls only by explicit, reviewed policy. An ALLOW naming other namespaces (or wildcards) widens the " +
    "blast radius of every workload there.",
  remediation: `Narrow the sources to the exact ServiceAccounts that call in, and record the reason in the ${CROSS_NS_JUSTIFICATION} annotation.`,
  fix: (v) =>
    y({
      apiVersion: "security.istio.io/v1",
      kind: "AuthorizationPolicy",
      metadata: {
        ...meta(v.resource),
        annotations: { [CROSS_NS_JUSTIFICATION]: "frontend calls the orders API (TICKET-123)" },
      },
      spec: {
        action: "ALLOW",
        rules: [{ from: [{ source: { principals: ["cluster.local/ns/frontend/sa/web"] } }] }],
      },
    }),
  references: [ISTIO_DOCS.authz],
  check(ctx) {
    const out: Violation[] = [];
    const index = ctx.resolver.indexes.authz;
    for (const p of index.all()) {
      const ns = p.obj.namespace ?? "";
      // root-namespace policies are mesh-wide by design
      if (ns === ctx.root || actionOf(p.obj) !== "ALLOW" || isDryRun(p.obj)) continue;
      if (p.obj.annotations[CROSS_NS_JUSTIFICATION]) continue;
      const foreign = foreignSources(ns, rulesOf(p.obj));
      if (foreign.length === 0) continue;
      out.push({
        resource: objRef(p.obj),
        affected: affectedBy(ctx, index, p),
        message: `admits ${foreign.join(", ")}`,
        evidence: { sources: foreign.slice(0, 20) },
      });
    }
    return out;
  },
};
