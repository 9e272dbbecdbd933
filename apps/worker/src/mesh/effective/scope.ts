import { type K8sObject, rec, recs, str } from "../model/objects.js";
import type { Workload } from "../model/workloads.js";

export type Labels = Record<string, string>;

/** A policy with the workloads it may select, pre-parsed once. */
export interface Scoped {
  obj: K8sObject;
  /** null = whole namespace (or the whole mesh in the root namespace) */
  selector: Labels | null;
  targetRefs: { group: string; kind: string; name: string }[];
}

/** How a kind's selector in the root namespace behaves (Istio differs between APIs). */
export type RootSelectorRule = "all-namespaces" | "root-only";

function labelMap(v: unknown): Labels | null {
  const m = rec(v);
  const keys = Object.keys(m);
  // `selector: {}` or empty matchLabels select the whole namespace, as istiod treats them
  if (keys.length === 0) return null;
  const out: Labels = {};
  for (const k of keys) out[k] = String(m[k]);
  return out;
}

export function selectorOf(o: K8sObject): Labels | null {
  switch (o.kind) {
    case "Sidecar":
    case "EnvoyFilter":
      return labelMap(rec(o.spec.workloadSelector).labels);
    case "Gateway":
      return labelMap(o.spec.selector);
    default:
      return labelMap(rec(o.spec.selector).matchLabels);
  }
}

export function toScoped(o: K8sObject): Scoped {
  const refs = [...recs(o.spec.targetRefs), ...(o.spec.targetRef ? [rec(o.spec.targetRef)] : [])];
  return {
    obj: o,
    selector: selectorOf(o),
    targetRefs: refs.map((r) => ({
      group: str(r.group) ?? "",
      kind: str(r.kind) ?? "",
      name: str(r.name) ?? "",
    })),
  };
}

export function labelsMatch(selector: Labels | null, labels: Labels): boolean {
  if (!selector) return true;
  for (const k in selector) if (labels[k] !== selector[k]) return false;
  return true;
}

/** Policies of one kind bucketed by namespace, so a workload only looks at its namespace and the root. */
export class ScopeIndex {
  private readonly byNs = new Map<string, Scoped[]>();

  constructor(
    objects: readonly K8sObject[],
    private readonly rootNamespace: string,
    private readonly rootRule: RootSelectorRule,
    /** Service selectors by `ns/name`, for targetRefs naming a Service */
    private readonly serviceSelectors: Map<string, Labels>,
  ) {
    for (const o of objects) {
      const ns = o.namespace ?? "";
      const list = this.byNs.get(ns) ?? [];
      list.push(toScoped(o));
      this.byNs.set(ns, list);
    }
  }

  all(): Scoped[] {
    return [...this.byNs.values()].flat();
  }

  inNamespace(ns: string): readonly Scoped[] {
    return this.byNs.get(ns) ?? [];
  }

  /** Whether policy `p` applies to workload `w` (selector, targetRefs, namespace and root scope). */
  applies(p: Scoped, w: Workload): boolean {
    const ns = p.obj.namespace ?? "";
    const isRoot = ns === this.rootNamespace;
    if (p.targetRefs.length > 0) {
      if (ns !== w.namespace) return false;
      return p.targetRefs.some((r) => {
        if (r.kind === "Gateway") return w.labels["gateway.networking.k8s.io/gateway-name"] === r.name;
        if (r.kind === "Service") {
          const sel = this.serviceSelectors.get(`${ns}/${r.name}`);
          return !!sel && labelsMatch(sel, w.labels);
        }
        return false;
      });
    }
    if (!p.selector) return isRoot || ns === w.namespace;
    if (ns !== w.namespace && !(isRoot && this.rootRule === "all-namespaces")) return false;
    return labelsMatch(p.selector, w.labels);
  }

  /** Every policy that applies to `w`: root namespace first, then its own namespace. */
  forWorkload(w: Workload): Scoped[] {
    const out: Scoped[] = [];
    for (const p of this.inNamespace(this.rootNamespace)) if (this.applies(p, w)) out.push(p);
    if (w.namespace !== this.rootNamespace) {
      for (const p of this.inNamespace(w.namespace)) if (this.applies(p, w)) out.push(p);
    }
    return out;
  }
}

/** Istio breaks ties between equally specific policies by age, then name. */
export function oldestFirst(a: Scoped, b: Scoped): number {
  const ta = a.obj.creationTimestamp ?? "";
  const tb = b.obj.creationTimestamp ?? "";
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.obj.name < b.obj.name ? -1 : a.obj.name > b.obj.name ? 1 : 0;
}
