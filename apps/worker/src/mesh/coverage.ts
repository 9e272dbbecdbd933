import { hasDefaultDeny, requiresToken } from "./effective/authz.js";
import type { MeshContext } from "./rules/types.js";

export interface Share {
  count: number;
  total: number;
  /** count / total rounded to 4 decimals; null when total is 0 */
  share: number | null;
}

/** The numbers a mesh owner reports upward, over application workloads (system namespaces and gateways excluded). */
export interface CoverageFacts {
  version: 1;
  meshPresent: boolean;
  workloads: number;
  namespaces: number;
  /** effective PeerAuthentication STRICT on every port */
  mtlsStrict: Share;
  /** ≥1 enforced ALLOW policy (anything unmatched is denied) or an allow-nothing / deny-all policy */
  authorized: Share & { withAllowPolicy: number; underDefaultDeny: number };
  /** a sidecar proxy, or enrolled in ambient mode */
  meshed: Share & { sidecar: number; ambient: number };
  /** of the workloads a RequestAuthentication selects, those where an enforced policy requires a token */
  endUserAuth: Share;
}

const share = (count: number, total: number): Share => ({
  count,
  total,
  share: total === 0 ? null : Math.round((count / total) * 10_000) / 10_000,
});

export function coverageFacts(ctx: MeshContext): CoverageFacts {
  let strict = 0;
  let allowPolicy = 0;
  let defaultDeny = 0;
  let authorized = 0;
  let sidecar = 0;
  let ambient = 0;
  let withRa = 0;
  let tokenRequired = 0;
  const namespaces = new Set<string>();
  const present = ctx.inv.presence.present;
  for (const w of ctx.apps) {
    namespaces.add(w.namespace);
    if (w.dataPlane === "sidecar") sidecar++;
    else if (w.dataPlane === "ambient") ambient++;
    // without a mesh nothing is enforced, whatever objects the List may hold
    if (!present) continue;
    const e = ctx.effective(w);
    if (e.peer.strictAllPorts && w.dataPlane !== "none") strict++;
    const hasAllow = e.authz.allow.length > 0;
    const deny = hasDefaultDeny(e.authz);
    if (hasAllow) allowPolicy++;
    if (deny) defaultDeny++;
    if ((hasAllow || deny) && w.dataPlane !== "none") authorized++;
    if (e.requestAuthn.length > 0) {
      withRa++;
      if (requiresToken(e.authz)) tokenRequired++;
    }
  }
  const total = ctx.apps.length;
  return {
    version: 1,
    meshPresent: present,
    workloads: total,
    namespaces: namespaces.size,
    mtlsStrict: share(strict, total),
    authorized: { ...share(authorized, total), withAllowPolicy: allowPolicy, underDefaultDeny: defaultDeny },
    meshed: { ...share(present ? sidecar + ambient : 0, total), sidecar, ambient },
    endUserAuth: share(tokenRequired, withRa),
  };
}
