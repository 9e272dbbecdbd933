import { parse as parseYaml } from "yaml";
import { isRec, type K8sObject, type Rec, rec, recs, str } from "./objects.js";

export interface ObjectRef {
  kind: string;
  namespace: string | null;
  name: string;
}

/** What the List tells about the control plane: the mesh config, istiod, the injector. */
export interface ControlPlane {
  /** the object the mesh config was read from; null when the List holds none */
  meshSource: ObjectRef | null;
  /** parsed meshConfig ({} when absent: rules needing it are then not evaluated) */
  mesh: Rec;
  rootNamespace: string;
  istioNamespace: string;
  /** istiod Deployments (one per revision) */
  istiod: { ref: ObjectRef; image: string | null; env: Record<string, string>; revision: string }[];
  /** `values` of the sidecar injector ConfigMap (global.variant, global.tag…), {} when absent */
  injectorValues: Rec;
  warnings: string[];
}

const DEFAULT_NS = "istio-system";

function meshOfConfigMap(o: K8sObject): { mesh: Rec | null; error: string | null } {
  const data = rec(o.raw.data);
  const text = str(data.mesh);
  if (text === null) return { mesh: null, error: null };
  try {
    // data.mesh is YAML inside a string: parsed a second time
    const parsed: unknown = parseYaml(text);
    return { mesh: isRec(parsed) ? parsed : {}, error: null };
  } catch (e) {
    return { mesh: null, error: `${o.path}.data.mesh is not valid YAML: ${(e as Error).message}` };
  }
}

function rank(o: K8sObject): number {
  // the default revision's `istio` in istio-system first, then any `istio`, then `istio-<rev>`
  if (o.name === "istio" && o.namespace === DEFAULT_NS) return 0;
  if (o.name === "istio") return 1;
  return 2;
}

function envOf(container: Rec): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of recs(container.env)) {
    const name = str(e.name);
    const value = str(e.value);
    if (name && value !== null) env[name] = value;
  }
  return env;
}

function isIstiod(o: K8sObject): boolean {
  return (
    o.kind === "Deployment" &&
    (o.labels.app === "istiod" || o.name === "istiod" || o.name.startsWith("istiod-"))
  );
}

export function readControlPlane(
  objects: readonly K8sObject[],
  fragments: readonly { mesh: Rec; path: string }[],
): ControlPlane {
  const warnings: string[] = [];
  let meshSource: ObjectRef | null = null;
  let mesh: Rec = {};
  const configMaps = objects
    .filter((o) => o.kind === "ConfigMap" && (o.name === "istio" || /^istio-[a-z0-9.-]+$/.test(o.name)))
    .sort((a, b) => rank(a) - rank(b));
  for (const cm of configMaps) {
    const { mesh: m, error } = meshOfConfigMap(cm);
    if (error) warnings.push(error);
    if (m) {
      meshSource = { kind: cm.kind, namespace: cm.namespace, name: cm.name };
      mesh = m;
      break;
    }
  }
  if (!meshSource) {
    const op = objects.find((o) => o.kind === "IstioOperator" && isRec(o.spec.meshConfig));
    if (op) {
      meshSource = { kind: op.kind, namespace: op.namespace, name: op.name || "installed-state" };
      mesh = rec(op.spec.meshConfig);
    } else if (fragments.length > 0) {
      // bare fragments are merged in document order, as istioctl merges mesh config files
      meshSource = { kind: "MeshConfig", namespace: null, name: "mesh" };
      for (const f of fragments) mesh = { ...mesh, ...f.mesh };
    }
  }
  const istioNamespace =
    meshSource?.kind === "ConfigMap" && meshSource.namespace ? meshSource.namespace : DEFAULT_NS;
  const rootNamespace = str(mesh.rootNamespace) || istioNamespace;

  const istiod = objects.filter(isIstiod).map((d) => {
    const tpl = rec(rec(d.spec.template).spec);
    const c = recs(tpl.containers).find((x) => x.name === "discovery") ?? recs(tpl.containers)[0] ?? {};
    return {
      ref: { kind: d.kind, namespace: d.namespace, name: d.name },
      image: str(c.image),
      env: envOf(c),
      revision: d.labels["istio.io/rev"] ?? "default",
    };
  });

  let injectorValues: Rec = {};
  const injector = objects.find((o) => o.kind === "ConfigMap" && o.name.startsWith("istio-sidecar-injector"));
  const valuesText = injector ? str(rec(injector.raw.data).values) : null;
  if (valuesText) {
    try {
      const v: unknown = JSON.parse(valuesText);
      if (isRec(v)) injectorValues = v;
    } catch {
      warnings.push(`${injector?.path}.data.values is not valid JSON`);
    }
  }
  return { meshSource, mesh, rootNamespace, istioNamespace, istiod, injectorValues, warnings };
}
