import { hasDefaultDeny, isAllowNothing, isDenyAll, isDryRun } from "../effective/authz.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule } from "./types.js";
import { nsRef, y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-AUTHZ-01",
  title: "No mesh-wide default-deny AuthorizationPolicy",
  severity: "high",
  strategy: "PROT-AUTHZ",
  nist: [N.APE3, N.SS2, N.DR1],
  needs: ["istio"],
  bundle: "mesh-default-deny",
  rationale:
    "Without an allow-nothing policy in the root namespace, every workload that no ALLOW policy selects " +
    "accepts any request from any caller: access is open by default instead of denied by default " +
    "(APE-SR-3). Namespace-level default denies help, but a new namespace starts open.",
  remediation:
    "Create an allow-nothing AuthorizationPolicy (`spec: {}`) in the root namespace, then add ALLOW policies " +
    "per workload. Roll out with the `istio.io/dry-run` annotation first to see what would be denied.",
  fix: (v) =>
    y({
      apiVersion: "security.istio.io/v1",
      kind: "AuthorizationPolicy",
      metadata: { name: "allow-nothing", namespace: v.resource.name },
      spec: {},
    }),
  references: [
    ISTIO_DOCS.authz,
    "https://istio.io/latest/docs/ops/best-practices/security/#use-default-deny-patterns",
  ],
  check(ctx) {
    const meshWide = ctx.resolver.indexes.authz
      .inNamespace(ctx.root)
      .some(
        (p) =>
          !p.selector &&
          p.targetRefs.length === 0 &&
          !isDryRun(p.obj) &&
          (isAllowNothing(p.obj) || isDenyAll(p.obj)),
      );
    if (meshWide) return [];
    const open = ctx.apps.filter((w) => !hasDefaultDeny(ctx.effective(w).authz));
    const openNamespaces = [...new Set(open.map((w) => w.namespace))].sort();
    return [
      {
        resource: nsRef(ctx.root),
        affected: open,
        // every application namespace has its own default deny: the gap is for namespaces to come
        severity: ctx.apps.length > 0 && open.length === 0 ? "medium" : "high",
        message: `no allow-nothing policy in the root namespace ${ctx.root}; ${openNamespaces.length} namespace(s) have workloads without a default deny`,
        evidence: { namespacesWithoutDefaultDeny: openNamespaces.slice(0, 50) },
      },
    ];
  },
};
