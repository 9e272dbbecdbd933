import { labelsMatch } from "../effective/scope.js";
import type { ObjectRef } from "../model/control-plane.js";
import { type K8sObject, rec, recs, str } from "../model/objects.js";
import type { MeshContext, Violation } from "./types.js";
import { isEgressGateway, objRef, wlRef } from "./util.js";

const selectorOf = (gw: K8sObject) =>
  Object.fromEntries(Object.entries(rec(gw.spec.selector)).map(([k, v]) => [k, String(v)]));

/**
 * Ingress gateway proxies (grouped by the Gateway selector that picks them) that no EnvoyFilter or proxy
 * config reaches with one of `needles` (filter names or typed_config types; a textual check, since patch
 * values are free-form Envoy config). One violation per proxy group: many Gateway resources usually share
 * one ingress deployment, and that deployment is what gets fixed.
 */
export function gatewaysWithout(ctx: MeshContext, needles: readonly string[], message: string): Violation[] {
  const filters = ctx.inv.of("EnvoyFilter").filter((ef) => {
    const text = JSON.stringify(ef.spec.configPatches ?? []);
    if (!needles.some((n) => text.includes(n))) return false;
    return recs(ef.spec.configPatches).some((p) => {
      const context = str(rec(p.match).context) ?? "ANY";
      return context === "GATEWAY" || context === "ANY";
    });
  });
  const groups = new Map<string, K8sObject[]>();
  for (const gw of ctx.inv.of("Gateway")) {
    if (isEgressGateway(gw)) continue;
    const key = JSON.stringify(Object.entries(selectorOf(gw)).sort());
    groups.set(key, [...(groups.get(key) ?? []), gw]);
  }
  const out: Violation[] = [];
  for (const gws of groups.values()) {
    const first = gws[0] as K8sObject;
    const sel = selectorOf(first);
    const covered = filters.some((ef) => {
      const efSel = rec(rec(ef.spec.workloadSelector).labels);
      const keys = Object.keys(efSel);
      if (keys.length === 0)
        return ef.namespace === ctx.root || gws.some((g) => g.namespace === ef.namespace);
      // the filter must pick the gateway's pods: its labels are a subset of the Gateway's selector
      return labelsMatch(Object.fromEntries(keys.map((k) => [k, String(efSel[k])])), sel);
    });
    const proxies = ctx.inv.workloads.filter(
      (w) => w.gateway && Object.keys(sel).length > 0 && labelsMatch(sel, w.labels),
    );
    const podLevel = proxies.some((w) =>
      needles.some((n) => (w.annotations["proxy.istio.io/config"] ?? "").includes(n)),
    );
    if (covered || podLevel) continue;
    const resource: ObjectRef = proxies[0] ? wlRef(proxies[0]) : objRef(first);
    out.push({
      resource,
      affected: proxies,
      message: `${message} (${gws.length} Gateway resource(s) select these proxies)`,
      evidence: { selector: sel, gateways: gws.slice(0, 20).map((g) => `${g.namespace}/${g.name}`) },
    });
  }
  return out;
}
