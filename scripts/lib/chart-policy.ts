/**
 * What every rendering of the charts must hold, whatever the values: restricted containers (kube-bench's
 * documented exception aside), requests and limits, no sidecar in the collector's pods, the collector's RBAC
 * equal to what it reads, the backend's probes, budgets and migration hook.
 */
import { CATALOG, entryName } from "../../apps/collector/src/kube/catalog.js";
import { type Level, podSecurityViolations } from "./pod-security.js";

/** check-charts.ts renders every chart into this namespace */
export const RELEASE_NAMESPACE = "bulwark";

export type Doc = Record<string, unknown> & {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
};
type Rec = Record<string, unknown>;

const get = (o: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Rec)[k] : undefined), o);

function podTemplate(d: Doc): Rec | undefined {
  if (d.kind === "CronJob") return get(d, "spec.jobTemplate.spec.template") as Rec;
  if (d.kind === "Deployment" || d.kind === "Job") return get(d, "spec.template") as Rec;
  return undefined;
}

/**
 * Pod Security: every pod is admitted by the level its namespace enforces. The release namespace is to enforce
 * restricted (the NOTES say so); a namespace the chart makes enforces what its label says. House rules on top:
 * a read-only root filesystem (kube-bench's too), requests and limits, no Istio sidecar in the collector's pods.
 */
function checkPod(d: Doc, problems: string[], collectorChart: boolean, levels: Map<string, Level>) {
  const tpl = podTemplate(d);
  if (!tpl) return;
  const spec = (tpl.spec ?? {}) as Rec;
  const annotations = (get(tpl, "metadata.annotations") ?? {}) as Record<string, string>;
  const namespace = d.metadata.namespace ?? RELEASE_NAMESPACE;
  const level = levels.get(namespace) ?? "restricted";
  const where = `${d.kind}/${d.metadata.name} (namespace ${namespace}, ${level})`;
  for (const v of podSecurityViolations(spec, level, annotations)) problems.push(`${where}: ${v}`);
  if (collectorChart && annotations["sidecar.istio.io/inject"] !== "false") {
    problems.push(`${where}: pod lacks sidecar.istio.io/inject: "false"`);
  }
  for (const c of [...((spec.initContainers as Rec[]) ?? []), ...((spec.containers as Rec[]) ?? [])]) {
    const at = `${where} container ${c.name}`;
    const sc = (c.securityContext ?? {}) as Rec;
    if (sc.readOnlyRootFilesystem !== true) problems.push(`${at}: readOnlyRootFilesystem`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation`);
    if (!((get(sc, "capabilities.drop") as string[] | undefined) ?? []).includes("ALL"))
      problems.push(`${at}: drop ALL`);
    if (!get(c, "resources.requests") || !get(c, "resources.limits"))
      problems.push(`${at}: requests and limits`);
  }
}

/** The Pod Security level each namespace the chart creates enforces. */
function namespaceLevels(docs: Doc[], problems: string[]): Map<string, Level> {
  const levels = new Map<string, Level>();
  for (const d of docs.filter((x) => x.kind === "Namespace")) {
    const labels = d.metadata.labels ?? {};
    const enforce = labels["pod-security.kubernetes.io/enforce"];
    if (enforce !== "privileged" && enforce !== "baseline" && enforce !== "restricted") {
      problems.push(`Namespace/${d.metadata.name}: no pod-security.kubernetes.io/enforce label`);
      continue;
    }
    levels.set(d.metadata.name, enforce);
  }
  return levels;
}

/**
 * kube-bench: only it is exempt from restricted, so it must sit alone in its own privileged namespace; and it
 * really needs that (it fails baseline), which also shows the evaluator is not blind.
 */
function checkKubeBench(docs: Doc[], levels: Map<string, Level>, problems: string[]) {
  const bench = docs.find((d) => d.kind === "CronJob" && d.metadata.name.endsWith("-kube-bench"));
  if (!bench) return;
  const ns = bench.metadata.namespace ?? RELEASE_NAMESPACE;
  if (ns === RELEASE_NAMESPACE)
    problems.push("kube-bench runs in the release namespace, which enforces restricted");
  if (levels.has(ns) && levels.get(ns) !== "privileged")
    problems.push(`kube-bench's namespace ${ns} does not enforce privileged`);
  const spec = get(bench, "spec.jobTemplate.spec.template.spec") as Rec;
  if (podSecurityViolations(spec, "baseline").length === 0)
    problems.push(
      "kube-bench passes baseline: then it needs no privileged namespace (or the check is blind)",
    );
  for (const d of docs) {
    if (d !== bench && podTemplate(d) && (d.metadata.namespace ?? RELEASE_NAMESPACE) === ns)
      problems.push(`${d.kind}/${d.metadata.name} shares kube-bench's privileged namespace`);
  }
}

/** resource name → verbs, from a ClusterRole's or Role's rules */
function grants(role: Doc | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const rule of (role?.rules as Rec[]) ?? []) {
    for (const g of rule.apiGroups as string[]) {
      for (const r of rule.resources as string[])
        out.set(entryName({ group: g, resource: r }), rule.verbs as string[]);
    }
  }
  return out;
}

function checkCollectorRbac(docs: Doc[], problems: string[]) {
  const clusterRole = docs.find((d) => d.kind === "ClusterRole" && !d.metadata.name.endsWith("-scanner"));
  const role = docs.find((d) => d.kind === "Role");
  const want = CATALOG.filter((e) => !e.istioNamespaceOnly)
    .map(entryName)
    .sort();
  const cluster = grants(clusterRole);
  const have = [...cluster.keys()].sort();
  if (JSON.stringify(have) !== JSON.stringify(want)) {
    problems.push(
      `collector ClusterRole grants [${have.join(", ")}] but the collector reads [${want.join(", ")}]`,
    );
  }
  for (const [r, verbs] of cluster) {
    if (verbs.some((v) => !["get", "list", "watch"].includes(v)))
      problems.push(`collector ClusterRole: ${r} verbs ${verbs}`);
  }
  const ns = grants(role);
  if (JSON.stringify([...ns.keys()].sort()) !== JSON.stringify(["configmaps", "secrets"]))
    problems.push("collector Role: configmaps and secrets only");
  if (JSON.stringify(ns.get("secrets")) !== JSON.stringify(["list"]))
    problems.push("collector Role: secrets must be list only");
}

function checkBackend(docs: Doc[], problems: string[]) {
  const job = docs.find((d) => d.kind === "Job");
  if (job?.metadata.annotations?.["helm.sh/hook"] !== "pre-install,pre-upgrade")
    problems.push("migration Job is not a pre-install,pre-upgrade hook");
  if (
    JSON.stringify(get(job, "spec.template.spec.containers.0.command")) !==
    JSON.stringify(["node", "--enable-source-maps", "migrate.js"])
  )
    problems.push("migration Job does not run the image's migrate.js");
  // the images run the built JavaScript with plain node (infra/docker/*.Dockerfile), never tsx
  for (const d of docs) {
    for (const c of ((get(podTemplate(d), "spec.containers") as Rec[] | undefined) ?? []) as Rec[]) {
      const cmd = (c.command as string[] | undefined) ?? [];
      if (cmd.some((a) => a.includes("tsx") || a.endsWith(".ts")))
        problems.push(`${d.metadata.name}: runs TypeScript`);
    }
  }
  const api = docs.find((d) => d.kind === "Deployment" && d.metadata.name.endsWith("-api"));
  const c = get(api, "spec.template.spec.containers.0") as Rec | undefined;
  if (
    get(c, "livenessProbe.httpGet.path") !== "/healthz" ||
    get(c, "readinessProbe.httpGet.path") !== "/readyz"
  )
    problems.push("API probes are not /healthz and /readyz");
  const worker = docs.find((d) => d.kind === "Deployment" && d.metadata.name.endsWith("-worker"));
  const w = get(worker, "spec.template.spec.containers.0") as Rec | undefined;
  if (
    get(w, "livenessProbe.httpGet.path") !== "/healthz" ||
    get(w, "readinessProbe.httpGet.path") !== "/readyz"
  )
    problems.push("worker probes are not /healthz and /readyz on its metrics port");
  for (const comp of ["api", "worker"]) {
    if (!docs.some((d) => d.kind === "PodDisruptionBudget" && d.metadata.name.endsWith(`-${comp}`)))
      problems.push(`no PodDisruptionBudget for the ${comp}`);
  }
}

export function checkRendered(chart: string, docs: Doc[]): string[] {
  const problems: string[] = [];
  const levels = namespaceLevels(docs, problems);
  for (const d of docs) {
    if (!d.kind || !d.metadata?.name || !d.apiVersion)
      problems.push(`a document without apiVersion, kind or name: ${JSON.stringify(d).slice(0, 120)}`);
    checkPod(d, problems, chart === "bulwark-collector", levels);
  }
  if (chart === "bulwark-collector") {
    checkCollectorRbac(docs, problems);
    checkKubeBench(docs, levels, problems);
  } else checkBackend(docs, problems);
  return problems;
}
