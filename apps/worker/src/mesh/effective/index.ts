import type { Inventory } from "../model/inventory.js";
import { rec, str } from "../model/objects.js";
import type { Workload } from "../model/workloads.js";
import { type AuthzSet, buildAuthzSet } from "./authz.js";
import { type PeerResult, resolvePeer } from "./peer-auth.js";
import { oldestFirst, type Scoped, ScopeIndex } from "./scope.js";

export type OutboundMode = "ALLOW_ANY" | "REGISTRY_ONLY";

/** Everything that governs one workload, resolved once per analysis. */
export interface Effective {
  peer: PeerResult;
  authz: AuthzSet;
  requestAuthn: Scoped[];
  /** the Sidecar resource in force: workload selector, else namespace default, else the root default */
  sidecar: Scoped | null;
  outbound: OutboundMode;
}

export interface Indexes {
  peer: ScopeIndex;
  authz: ScopeIndex;
  requestAuthn: ScopeIndex;
  sidecar: ScopeIndex;
}

export function buildIndexes(inv: Inventory): Indexes {
  const root = inv.cp.rootNamespace;
  const svc = inv.serviceSelectors;
  return {
    // istiod applies root-namespace selectors to every namespace for authorization only
    authz: new ScopeIndex(inv.of("AuthorizationPolicy"), root, "all-namespaces", svc),
    peer: new ScopeIndex(inv.of("PeerAuthentication"), root, "root-only", svc),
    requestAuthn: new ScopeIndex(inv.of("RequestAuthentication"), root, "root-only", svc),
    sidecar: new ScopeIndex(inv.of("Sidecar"), root, "root-only", svc),
  };
}

function outboundOf(v: unknown): OutboundMode | null {
  const m = str(rec(v).mode)?.toUpperCase();
  return m === "REGISTRY_ONLY" || m === "ALLOW_ANY" ? m : null;
}

export class Resolver {
  private readonly memo = new Map<string, Effective>();

  constructor(
    private readonly inv: Inventory,
    readonly indexes: Indexes,
  ) {}

  /** The mesh-wide outbound mode (ALLOW_ANY when unset, Istio's default). */
  meshOutbound(): OutboundMode {
    return outboundOf(this.inv.cp.mesh.outboundTrafficPolicy) ?? "ALLOW_ANY";
  }

  of(w: Workload): Effective {
    const hit = this.memo.get(w.key);
    if (hit) return hit;
    const root = this.inv.cp.rootNamespace;
    const sidecars = this.indexes.sidecar.forWorkload(w).sort(oldestFirst);
    const sidecar =
      sidecars.find((s) => s.selector !== null) ??
      sidecars.find((s) => s.obj.namespace === w.namespace) ??
      sidecars.find((s) => s.obj.namespace === root) ??
      null;
    const e: Effective = {
      peer: resolvePeer(this.indexes.peer, w, root),
      authz: buildAuthzSet(this.indexes.authz.forWorkload(w)),
      requestAuthn: this.indexes.requestAuthn.forWorkload(w),
      sidecar,
      outbound: (sidecar && outboundOf(sidecar.obj.spec.outboundTrafficPolicy)) ?? this.meshOutbound(),
    };
    this.memo.set(w.key, e);
    return e;
  }
}
