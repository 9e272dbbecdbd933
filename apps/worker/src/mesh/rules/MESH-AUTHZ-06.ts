import { actionOf, isDryRun } from "../effective/authz.js";
import { rec, recs, str } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { affectedBy, meshFix, objRef } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-AUTHZ-06",
  title: "External authorization (CUSTOM) fails open",
  severity: "high",
  strategy: "PROT-AUTHZ",
  nist: [N.SS2, N.DR1],
  needs: ["istio", "meshConfig"],
  rationale:
    "A CUSTOM policy delegates the decision to an ext-authz provider; with failOpen: true, every request is " +
    "allowed whenever the provider is down, slow or unreachable — an attacker who can overload it bypasses " +
    "authorization (800-204B requires enforcement that is always invoked).",
  remediation:
    "Set failOpen: false on the provider (the default) and make the authorizer highly available instead.",
  fix: (v) =>
    meshFix(null, {
      extensionProviders: [
        {
          name: v.evidence?.provider ?? "ext-authz",
          envoyExtAuthzGrpc: { service: "ext-authz.auth.svc.cluster.local", port: 9000, failOpen: false },
        },
      ],
    }),
  references: [ISTIO_DOCS.authz, "https://istio.io/latest/docs/tasks/security/authorization/authz-custom/"],
  check(ctx) {
    const providers = new Map<string, boolean>();
    for (const p of recs(ctx.inv.cp.mesh.extensionProviders)) {
      const name = str(p.name);
      if (!name) continue;
      const cfg = rec(p.envoyExtAuthzHttp ?? p.envoyExtAuthzGrpc);
      providers.set(name, cfg.failOpen === true || cfg.failOpen === "true");
    }
    const out: Violation[] = [];
    const index = ctx.resolver.indexes.authz;
    for (const p of index.all()) {
      if (actionOf(p.obj) !== "CUSTOM" || isDryRun(p.obj)) continue;
      const provider = str(rec(p.obj.spec.provider).name) ?? "";
      if (!providers.get(provider)) continue;
      out.push({
        resource: objRef(p.obj),
        affected: affectedBy(ctx, index, p),
        message: `provider ${provider} has failOpen: true`,
        evidence: { provider },
      });
    }
    return out;
  },
};
