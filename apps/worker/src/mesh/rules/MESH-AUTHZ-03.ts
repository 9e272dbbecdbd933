import { actionOf, isDryRun, rulesOf } from "../effective/authz.js";
import { rec, recs, strs } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { affectedBy, meta, objRef, y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-AUTHZ-03",
  title: "Bypass-prone AuthorizationPolicy pattern (negative match in ALLOW, positive path/host in DENY)",
  severity: "medium",
  strategy: "PROT-AUTHZ",
  nist: [N.SS2],
  needs: ["istio"],
  bundle: "safe-authorization-patterns",
  rationale:
    "Istio's safer patterns are ALLOW-with-positive-matching and DENY-with-negative-matching. An ALLOW on " +
    "notPaths/notPrincipals… allows everything not listed (including paths and callers added later), and a " +
    "DENY on paths/hosts is evaded by an equivalent spelling (`//admin`, `/ADMIN`, `%2F`, a Host with a port).",
  remediation:
    "Rewrite ALLOW rules with positive fields only, and express DENY rules on paths/hosts as DENY with " +
    "notPaths/notHosts of the allowed set (or as an ALLOW of the allowed set).",
  fix: (v) =>
    y({
      apiVersion: "security.istio.io/v1",
      kind: "AuthorizationPolicy",
      metadata: meta(v.resource),
      spec: {
        action: "DENY",
        rules: [{ to: [{ operation: { notPaths: ["/public/*", "/healthz"] } }] }],
      },
    }),
  references: [
    ISTIO_DOCS.authz,
    "https://istio.io/latest/docs/ops/best-practices/security/#safer-authorization-policy-patterns",
  ],
  check(ctx) {
    const out: Violation[] = [];
    const index = ctx.resolver.indexes.authz;
    for (const p of index.all()) {
      if (isDryRun(p.obj)) continue;
      const action = actionOf(p.obj);
      if (action !== "ALLOW" && action !== "DENY") continue;
      const found = new Set<string>();
      for (const r of rulesOf(p.obj)) {
        const fields = [
          ...recs(r.from).map((f) => rec(f.source)),
          ...recs(r.to).map((t) => rec(t.operation)),
        ];
        for (const f of fields) {
          for (const k of Object.keys(f)) {
            if (strs(f[k]).length === 0) continue;
            if (action === "ALLOW" && /^not[A-Z]/.test(k)) found.add(k);
            if (action === "DENY" && (k === "paths" || k === "hosts")) found.add(k);
          }
        }
        if (action === "ALLOW" && recs(r.when).some((c) => strs(c.notValues).length > 0))
          found.add("when.notValues");
      }
      if (found.size === 0) continue;
      out.push({
        resource: objRef(p.obj),
        affected: affectedBy(ctx, index, p),
        message: `${action} policy uses ${[...found].sort().join(", ")}`,
        evidence: { action, fields: [...found].sort() },
      });
    }
    return out;
  },
};
