import { buildAuthzSet, requiresToken } from "../effective/authz.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { affectedBy, objRef, y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-AUTHN-01",
  title: "RequestAuthentication without a policy that requires a token",
  severity: "high",
  strategy: "PROT-EUAUTHN",
  nist: [N.SS1, N.EAUN1],
  needs: ["istio"],
  rationale:
    "A RequestAuthentication only rejects requests with an invalid token; a request with no token at all is " +
    "accepted as anonymous. End-user authentication is enforced only when an AuthorizationPolicy requires " +
    'requestPrincipals (or denies notRequestPrincipals: ["*"]).',
  remediation: "Add an AuthorizationPolicy for the same workloads that requires a request principal.",
  fix: (v) =>
    y({
      apiVersion: "security.istio.io/v1",
      kind: "AuthorizationPolicy",
      metadata: { name: `${v.resource.name}-require-jwt`, namespace: v.resource.namespace },
      spec: {
        ...(v.evidence?.selector ? { selector: { matchLabels: v.evidence.selector } } : {}),
        action: "DENY",
        rules: [{ from: [{ source: { notRequestPrincipals: ["*"] } }] }],
      },
    }),
  references: [
    ISTIO_DOCS.requestAuthn,
    "https://istio.io/latest/docs/tasks/security/authentication/authn-policy/#require-a-valid-token",
  ],
  check(ctx) {
    const out: Violation[] = [];
    const index = ctx.resolver.indexes.requestAuthn;
    for (const ra of index.all()) {
      const selected = affectedBy(ctx, index, ra);
      let open = selected.filter((w) => !requiresToken(ctx.effective(w).authz));
      if (selected.length === 0) {
        // no workload in the List: any policy of its namespace (or the root) that requires a token counts
        const ns = ra.obj.namespace ?? "";
        const candidates = [
          ...ctx.resolver.indexes.authz.inNamespace(ns),
          ...ctx.resolver.indexes.authz.inNamespace(ctx.root),
        ];
        if (requiresToken(buildAuthzSet(candidates))) continue;
        open = [];
      } else if (open.length === 0) continue;
      out.push({
        resource: objRef(ra.obj),
        affected: open,
        message:
          open.length > 0
            ? `${open.length} selected workload(s) accept requests without a token`
            : "no AuthorizationPolicy in its namespace or the root namespace requires a request principal",
        evidence: { selector: ra.selector },
      });
    }
    return out;
  },
};
