import { stringify } from "yaml";
import type { Scoped, ScopeIndex } from "../effective/scope.js";
import type { ObjectRef } from "../model/control-plane.js";
import { type K8sObject, type Rec, rec, recs, str } from "../model/objects.js";
import type { Workload } from "../model/workloads.js";
import type { MeshContext } from "./types.js";

export const objRef = (o: K8sObject): ObjectRef => ({ kind: o.kind, namespace: o.namespace, name: o.name });
export const wlRef = (w: Workload): ObjectRef => ({ kind: w.kind, namespace: w.namespace, name: w.name });
/** Namespace-level findings carry the namespace in `resource.namespace` so scoped snapshots and filters see them. */
export const nsRef = (ns: string): ObjectRef => ({ kind: "Namespace", namespace: ns, name: ns });

/** Where mesh-wide settings live: the mesh config object, else the root namespace. */
export function meshRef(ctx: MeshContext): ObjectRef {
  return ctx.inv.cp.meshSource ?? nsRef(ctx.root);
}

/** A corrected manifest as YAML (documents joined by `---`). */
export function y(...docs: unknown[]): string {
  return docs.map((d) => stringify(d, { lineWidth: 0 }).trimEnd()).join("\n---\n");
}

/** The mesh config fix: the `istio` ConfigMap with the given meshConfig fragment. */
export function meshFix(ctx: MeshContext | null, fragment: Rec): string {
  const ns = ctx?.inv.cp.istioNamespace ?? "istio-system";
  return `# istioctl / IstioOperator: spec.meshConfig; Helm: meshConfig in the istiod values\n${y({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "istio", namespace: ns },
    data: { mesh: stringify(fragment).trimEnd() },
  })}`;
}

export function meta(o: { name: string; namespace: string | null }): Rec {
  return o.namespace ? { name: o.name, namespace: o.namespace } : { name: o.name };
}

/**
 * Workloads (applications and gateways) a policy applies to, looking only where it can apply: its
 * namespace, or everywhere for the root namespace.
 */
export function affectedBy(ctx: MeshContext, index: ScopeIndex, p: Scoped): Workload[] {
  const ns = p.obj.namespace ?? "";
  const pool = ns === ctx.root ? ctx.inv.workloads : (ctx.inv.workloadsByNs.get(ns) ?? []);
  return pool.filter((w) => (!w.system || w.gateway) && index.applies(p, w));
}

export function appsInNamespace(ctx: MeshContext, ns: string): Workload[] {
  return (ctx.inv.workloadsByNs.get(ns) ?? []).filter((w) => !w.system && !w.gateway);
}

/** Every TLS settings block of a DestinationRule: top level, port level, subsets and their ports. */
export function tlsBlocks(dr: K8sObject): { where: string; tls: Rec }[] {
  const out: { where: string; tls: Rec }[] = [];
  const visit = (tp: Rec, where: string) => {
    if (tp.tls) out.push({ where, tls: rec(tp.tls) });
    for (const pl of recs(tp.portLevelSettings)) {
      if (pl.tls) out.push({ where: `${where} port ${str(rec(pl.port).number) ?? "?"}`, tls: rec(pl.tls) });
    }
  };
  visit(rec(dr.spec.trafficPolicy), "trafficPolicy");
  for (const s of recs(dr.spec.subsets)) visit(rec(s.trafficPolicy), `subset ${str(s.name) ?? "?"}`);
  return out;
}

/** Every trafficPolicy of a DestinationRule (top level, port level, subsets). */
export function trafficPolicies(dr: K8sObject): Rec[] {
  const out: Rec[] = [];
  const visit = (tp: Rec) => {
    out.push(tp);
    for (const pl of recs(tp.portLevelSettings)) out.push(pl);
  };
  visit(rec(dr.spec.trafficPolicy));
  for (const s of recs(dr.spec.subsets)) visit(rec(s.trafficPolicy));
  return out;
}

/** Ingress gateways: every Istio Gateway except those selecting the egress gateway. */
export function isEgressGateway(gw: K8sObject): boolean {
  const sel = rec(gw.spec.selector);
  return str(sel.istio) === "egressgateway" || /egress/i.test(gw.name);
}

/** The host part of a Gateway/Sidecar host (`ns/host` → `host`). */
export const hostPart = (h: string) => (h.includes("/") ? h.slice(h.indexOf("/") + 1) : h);

/** Go-style durations (`24h`, `1h30m`, `90s`) plus days, in seconds; null when unreadable. */
export function durationSeconds(v: string | null): number | null {
  if (!v) return null;
  const re = /(\d+(?:\.\d+)?)(ms|d|h|m|s)/g;
  let total = 0;
  let matched = "";
  for (const m of v.matchAll(re)) {
    const n = Number(m[1]);
    const unit = m[2];
    total +=
      unit === "d"
        ? n * 86400
        : unit === "h"
          ? n * 3600
          : unit === "m"
            ? n * 60
            : unit === "s"
              ? n
              : n / 1000;
    matched += m[0];
  }
  return matched === v.trim() && matched !== "" ? total : null;
}

export const truthy = (v: unknown) => v === true || v === "true";

export const refOfScoped = (p: Scoped) => `${p.obj.kind}/${p.obj.namespace}/${p.obj.name}`;
