import { rec, str } from "../model/objects.js";
import type { Workload } from "../model/workloads.js";
import { oldestFirst, type Scoped, type ScopeIndex } from "./scope.js";

export type MtlsMode = "STRICT" | "PERMISSIVE" | "DISABLE";
type Declared = MtlsMode | "UNSET";

export interface PeerResult {
  /** the workload's effective mode (ports without an override) */
  mode: MtlsMode;
  /** port-level overrides, resolved (an UNSET port inherits `mode`) */
  ports: Record<string, MtlsMode>;
  /** STRICT on every port: the only state in which peer identity is guaranteed */
  strictAllPorts: boolean;
  /** which level decided `mode`; `default` = no policy, Istio's PERMISSIVE */
  level: "default" | "mesh" | "namespace" | "workload";
  /** `PeerAuthentication/ns/name` that decided `mode`, null for the default */
  decidedBy: string | null;
}

export function declaredMode(v: unknown): Declared {
  const m = str(rec(v).mode)?.toUpperCase();
  return m === "STRICT" || m === "PERMISSIVE" || m === "DISABLE" ? m : "UNSET";
}

const ref = (p: Scoped) => `PeerAuthentication/${p.obj.namespace}/${p.obj.name}`;

/**
 * PeerAuthentication precedence (istiod `authn` applier): workload selector → namespace → mesh (root
 * namespace, no selector) → PERMISSIVE; an UNSET mode inherits from the level above, and port-level
 * settings (only valid with a selector) override the workload's mode per port.
 */
export function resolvePeer(index: ScopeIndex, w: Workload, rootNamespace: string): PeerResult {
  const applicable = index.forWorkload(w).sort(oldestFirst);
  const mesh = applicable.find((p) => p.obj.namespace === rootNamespace && !p.selector);
  const ns =
    w.namespace === rootNamespace
      ? undefined
      : applicable.find((p) => p.obj.namespace === w.namespace && !p.selector);
  const workload = applicable.find((p) => p.selector !== null);
  let mode: MtlsMode = "PERMISSIVE";
  let level: PeerResult["level"] = "default";
  let decidedBy: string | null = null;
  const levels: [PeerResult["level"], Scoped | undefined][] = [
    ["mesh", mesh],
    ["namespace", ns],
    ["workload", workload],
  ];
  for (const [l, p] of levels) {
    if (!p) continue;
    const d = declaredMode(p.obj.spec.mtls);
    if (d === "UNSET") continue;
    mode = d;
    level = l;
    decidedBy = ref(p);
  }
  const ports: Record<string, MtlsMode> = {};
  if (workload) {
    for (const [port, v] of Object.entries(rec(workload.obj.spec.portLevelMtls))) {
      const d = declaredMode(v);
      ports[port] = d === "UNSET" ? mode : d;
    }
  }
  const strictAllPorts = mode === "STRICT" && Object.values(ports).every((m) => m === "STRICT");
  return { mode, ports, strictAllPorts, level, decidedBy };
}
