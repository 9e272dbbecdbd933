import { isDryRun, rulesOf } from "../effective/authz.js";
import { resolvePeer } from "../effective/peer-auth.js";
import { rec, recs, str, strs } from "../model/objects.js";
import type { Workload } from "../model/workloads.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { affectedBy, objRef, y } from "./util.js";

const PEER_FIELDS = ["principals", "notPrincipals", "namespaces", "notNamespaces"];
const PEER_KEYS = new Set(["source.principal", "source.namespace", "connection.sni"]);

/** Fields that read the peer certificate: without mTLS they are empty and rules on them misfire. */
function usesPeerIdentity(rules: ReturnType<typeof rulesOf>): string[] {
  const used = new Set<string>();
  for (const r of rules) {
    for (const f of recs(r.from)) {
      const s = rec(f.source);
      for (const k of PEER_FIELDS) if (strs(s[k]).length > 0) used.add(k);
    }
    for (const c of recs(r.when)) {
      const key = str(c.key) ?? "";
      if (PEER_KEYS.has(key)) used.add(`when ${key}`);
    }
  }
  return [...used].sort();
}

export const rule: MeshRule = {
  id: "MESH-AUTHZ-04",
  title: "Identity-based authorization on workloads without STRICT mTLS",
  severity: "high",
  strategy: "PROT-AUTHZ",
  also: ["PROT-MTLS"],
  nist: [N.SAUZ1, N.B521],
  needs: ["istio"],
  rationale:
    "principals and namespaces come from the caller's mTLS certificate. Where the effective PeerAuthentication " +
    "is not STRICT, a plaintext caller has no identity: ALLOW rules on identities deny it, but DENY rules on " +
    "identities (and notPrincipals…) do not match it, so it walks around the policy.",
  remediation:
    "Make mTLS STRICT for the selected workloads (all ports) before relying on identity-based rules.",
  fix: (v) =>
    y({
      apiVersion: "security.istio.io/v1",
      kind: "PeerAuthentication",
      metadata: { name: "default", namespace: v.resource.namespace },
      spec: { mtls: { mode: "STRICT" } },
    }),
  references: [ISTIO_DOCS.authz, ISTIO_DOCS.peerAuthn],
  check(ctx) {
    const out: Violation[] = [];
    const index = ctx.resolver.indexes.authz;
    for (const p of index.all()) {
      if (isDryRun(p.obj)) continue;
      const used = usesPeerIdentity(rulesOf(p.obj));
      if (used.length === 0) continue;
      const selected = affectedBy(ctx, index, p).filter((w) => w.dataPlane !== "none");
      let weak: Workload[];
      let mode: string;
      if (selected.length > 0) {
        weak = selected.filter((w) => !ctx.effective(w).peer.strictAllPorts);
        mode = weak.length > 0 ? ctx.effective(weak[0] as Workload).peer.mode : "STRICT";
        if (weak.length === 0) continue;
      } else {
        // no workload of the List is selected: judge by the namespace-level mode the policy would run under
        const probe = { namespace: p.obj.namespace ?? "default", labels: {} } as Workload;
        const peer = resolvePeer(ctx.resolver.indexes.peer, probe, ctx.root);
        if (peer.mode === "STRICT") continue;
        weak = [];
        mode = peer.mode;
      }
      out.push({
        resource: objRef(p.obj),
        affected: weak,
        message: `policy matches on ${used.join(", ")} but mTLS is ${mode} for ${weak.length > 0 ? `${weak.length} selected workload(s)` : `namespace ${p.obj.namespace}`}`,
        evidence: { fields: used, mode },
      });
    }
    return out;
  },
};
