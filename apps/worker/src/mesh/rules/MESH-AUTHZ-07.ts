import { actionOf, isDryRun, rulesOf } from "../effective/authz.js";
import { rec, recs, str, strs } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule } from "./types.js";
import { meshFix, meshRef, refOfScoped } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-AUTHZ-07",
  title: "Weak path normalization for path-based authorization",
  severity: "medium",
  strategy: "PROT-AUTHZ",
  nist: [N.SS2],
  needs: ["istio", "meshConfig"],
  rationale:
    "Authorization matches the path Envoy sees. With normalization NONE, `/admin/../public` or `//admin` " +
    "reach `/admin` without matching a rule on it; BASE (the default) still leaves `//` and `%2F` spellings, " +
    "which evade DENY rules on paths.",
  remediation:
    "Set pathNormalization.normalization to DECODE_AND_MERGE_SLASHES (or MERGE_SLASHES), after checking the " +
    "applications do not depend on the raw path.",
  fix: () => meshFix(null, { pathNormalization: { normalization: "DECODE_AND_MERGE_SLASHES" } }),
  references: [
    ISTIO_DOCS.meshConfig,
    "https://istio.io/latest/docs/ops/best-practices/security/#understand-path-normalization-in-authorization-policy",
  ],
  check(ctx) {
    const mode = str(rec(ctx.inv.cp.mesh.pathNormalization).normalization)?.toUpperCase() ?? "BASE";
    if (mode === "MERGE_SLASHES" || mode === "DECODE_AND_MERGE_SLASHES") return [];
    const pathDeny = ctx.resolver.indexes.authz
      .all()
      .filter(
        (p) =>
          actionOf(p.obj) === "DENY" &&
          !isDryRun(p.obj) &&
          rulesOf(p.obj).some((r) => recs(r.to).some((t) => strs(rec(t.operation).paths).length > 0)),
      );
    if (mode !== "NONE" && pathDeny.length === 0) return [];
    return [
      {
        resource: meshRef(ctx),
        severity: mode === "NONE" ? "medium" : "low",
        message:
          mode === "NONE"
            ? "pathNormalization is NONE"
            : `pathNormalization is ${mode} while ${pathDeny.length} DENY polic(ies) match on paths`,
        evidence: { normalization: mode, pathDenyPolicies: pathDeny.slice(0, 20).map(refOfScoped) },
      },
    ];
  },
};
