/**
 * What every rendering of the charts must hold, whatever the values: restricted containers (kube-bench's
 * documented exception aside), requests and limits, no sidecar in the collector's pods, the collector's RBAC
 * equal to what it reads, the backend's probes, budgets and migration hook.
 */
import { CATALOG, entryName } from "../../apps/collector/src/kube/catalog.js";

export type Doc = Record<string, unknown> & {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
};
type Rec = Record<string, unknown>;

const get = (o: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Rec)[k] : undefined), o);

function podTemplate(d: Doc): Rec | undefined {
  if (d.kind === "CronJob") return get(d, "spec.jobTemplate.spec.template") as Rec;
  if (d.kind === "Deployment" || d.kind === "Job") return get(d, "spec.template") as Rec;
  return undefined;
}

function checkPod(d: Doc, problems: string[], collectorChart: boolean) {
  const tpl = podTemplate(d);
  if (!tpl) return;
  const spec = (tpl.spec ?? {}) as Rec;
  const labels = (get(tpl, "metadata.labels") ?? {}) as Record<string, string>;
  const annotations = (get(tpl, "metadata.annotations") ?? {}) as Record<string, string>;
  const component = labels["app.kubernetes.io/component"];
  const where = `${d.kind}/${d.metadata.name}`;
  if (collectorChart && annotations["sidecar.istio.io/inject"] !== "false") {
    problems.push(`${where}: pod lacks sidecar.istio.io/inject: "false"`);
  }
  const podSc = (spec.securityContext ?? {}) as Rec;
  for (const c of [...((spec.initContainers as Rec[]) ?? []), ...((spec.containers as Rec[]) ?? [])]) {
    const at = `${where} container ${c.name}`;
    const sc = (c.securityContext ?? {}) as Rec;
    // kube-bench reads the node as root (documented in scanners.yaml); everything else runs as non-root
    const benchException = component === "kube-bench" && c.name === "kube-bench";
    if (!benchException && sc.runAsNonRoot !== true && podSc.runAsNonRoot !== true)
      problems.push(`${at}: runAsNonRoot`);
    if (sc.readOnlyRootFilesystem !== true) problems.push(`${at}: readOnlyRootFilesystem`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation`);
    if (!((get(sc, "capabilities.drop") as string[] | undefined) ?? []).includes("ALL"))
      problems.push(`${at}: drop ALL`);
    if ((get(sc, "seccompProfile.type") ?? get(podSc, "seccompProfile.type")) !== "RuntimeDefault")
      problems.push(`${at}: seccomp`);
    if (!get(c, "resources.requests") || !get(c, "resources.limits"))
      problems.push(`${at}: requests and limits`);
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
    JSON.stringify(["npm", "run", "migrate"])
  )
    problems.push("migration Job does not run npm run migrate");
  const api = docs.find((d) => d.kind === "Deployment" && d.metadata.name.endsWith("-api"));
  const c = get(api, "spec.template.spec.containers.0") as Rec | undefined;
  if (
    get(c, "livenessProbe.httpGet.path") !== "/healthz" ||
    get(c, "readinessProbe.httpGet.path") !== "/readyz"
  )
    problems.push("API probes are not /healthz and /readyz");
  for (const comp of ["api", "worker"]) {
    if (!docs.some((d) => d.kind === "PodDisruptionBudget" && d.metadata.name.endsWith(`-${comp}`)))
      problems.push(`no PodDisruptionBudget for the ${comp}`);
  }
}

export function checkRendered(chart: string, docs: Doc[]): string[] {
  const problems: string[] = [];
  for (const d of docs) {
    if (!d.kind || !d.metadata?.name || !d.apiVersion)
      problems.push(`a document without apiVersion, kind or name: ${JSON.stringify(d).slice(0, 120)}`);
    checkPod(d, problems, chart === "bulwark-collector");
  }
  if (chart === "bulwark-collector") checkCollectorRbac(docs, problems);
  else checkBackend(docs, problems);
  return problems;
}
