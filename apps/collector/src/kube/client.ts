/**
 * The collector's only door to the cluster, through @kubernetes/client-node: discovery and one page of a
 * list. Lists go through the generated CustomObjectsApi because it is the one call that hands back the
 * server's JSON untouched: the typed APIs drop unknown fields and rename `continue` to `_continue`, and
 * KubernetesObjectApi.list loses the continue token of custom resources (client-node 1.4.0). Its path
 * template is /apis/{group}/{version}; the core group lives at /api/v1, which one request middleware maps.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import {
  ApiException,
  ApisApi,
  CoreApi,
  CoreV1Api,
  CustomObjectsApi,
  createConfiguration,
  KubeConfig,
  type RequestContext,
  type ResponseContext,
  ServerConfiguration,
} from "@kubernetes/client-node";

export interface KubeSource {
  /** path to a kubeconfig; absent: in-cluster service account when running in a pod, else $KUBECONFIG / ~/.kube/config */
  kubeconfig?: string | undefined;
  context?: string | undefined;
  /** whether the process runs in a pod (KUBERNETES_SERVICE_HOST is set) */
  inCluster: boolean;
  /** where KUBECONFIG and HOME are read (default: process.env) */
  env?: NodeJS.ProcessEnv;
}

export class KubeConfigError extends Error {}

/**
 * Without a kubeconfig, client-node's default is http://localhost:8080, which on a laptop is often some other
 * server (the demo's API): the collector would then report its TLS error once per kind. No kubeconfig and
 * no pod is a configuration error, said at once.
 */
function defaultKubeconfigs(env: NodeJS.ProcessEnv): string[] {
  if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).filter(Boolean);
  return [join(env.HOME || homedir(), ".kube", "config")];
}

export function loadKubeConfig(src: KubeSource): KubeConfig {
  const kc = new KubeConfig();
  const env = src.env ?? process.env;
  if (src.kubeconfig) {
    if (!existsSync(src.kubeconfig))
      throw new KubeConfigError(`--kubeconfig ${src.kubeconfig}: no such file`);
    kc.loadFromFile(src.kubeconfig);
  } else if (src.inCluster && !src.context) kc.loadFromCluster();
  else {
    const candidates = defaultKubeconfigs(env);
    const found = candidates.filter((f) => existsSync(f));
    if (found.length === 0) {
      const looked = env.KUBECONFIG
        ? `KUBECONFIG names ${candidates.join(", ")}, none of which exists`
        : `${candidates[0]} does not exist and KUBECONFIG is not set`;
      throw new KubeConfigError(
        `no kubeconfig: ${looked}, and this is not a pod (KUBERNETES_SERVICE_HOST is not set). ` +
          "Give --kubeconfig PATH (and --context NAME), or --no-cluster to upload only the --file reports",
      );
    }
    if (found.length === 1) kc.loadFromFile(found[0] as string);
    else kc.loadFromDefault();
  }
  if (src.context) {
    if (!kc.getContextObject(src.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new KubeConfigError(
        `context "${src.context}" is not in the kubeconfig (it has: ${known.join(", ") || "none"})`,
      );
    }
    kc.setCurrentContext(src.context);
  }
  if (!kc.getCurrentCluster()) throw new KubeConfigError("the kubeconfig names no current cluster");
  return kc;
}

export interface GroupInfo {
  name: string;
  preferredVersion: string | undefined;
  versions: string[];
}

export interface ApiResourceInfo {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

export interface ListPage {
  items: unknown[];
  continueToken: string | undefined;
}

export interface ListRequest {
  group: string;
  version: string;
  resource: string;
  namespace?: string | undefined;
  limit?: number | undefined;
  continueToken?: string | undefined;
}

/** What the rest of the collector needs from a cluster; tests and the bench use the real one against a fake server. */
export interface KubeReader {
  groups(): Promise<GroupInfo[]>;
  resources(group: string, version: string): Promise<ApiResourceInfo[]>;
  list(req: ListRequest): Promise<ListPage>;
}

const coreGroupPath = {
  pre: async (ctx: RequestContext) => {
    ctx.setUrl(ctx.getUrl().replace("/apis//", "/api/"));
    return ctx;
  },
  post: async (rsp: ResponseContext) => rsp,
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function kubeReader(kc: KubeConfig): KubeReader {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new KubeConfigError("the kubeconfig names no current cluster");
  // the same server and authentication as makeApiClient, plus the /api/v1 path mapping
  const coreCustom = new CustomObjectsApi(
    createConfiguration({
      baseServer: new ServerConfiguration(server, {}),
      authMethods: { default: kc },
      promiseMiddleware: [coreGroupPath],
    }),
  );
  const apis = kc.makeApiClient(ApisApi);
  const core = kc.makeApiClient(CoreApi);
  const coreV1 = kc.makeApiClient(CoreV1Api);
  return {
    async groups() {
      const [coreVersions, list] = await Promise.all([core.getAPIVersions(), apis.getAPIVersions()]);
      const out: GroupInfo[] = [{ name: "", preferredVersion: "v1", versions: coreVersions.versions }];
      for (const g of list.groups) {
        out.push({
          name: g.name,
          preferredVersion: g.preferredVersion?.version,
          versions: g.versions.map((v) => v.version),
        });
      }
      return out;
    },
    async resources(group, version) {
      const list =
        group === "" ? await coreV1.getAPIResources() : await custom.getAPIResources({ group, version });
      return list.resources.map((r) => ({
        name: r.name,
        kind: r.kind,
        namespaced: r.namespaced,
        verbs: r.verbs,
      }));
    },
    async list(req) {
      const common = {
        group: req.group,
        version: req.version,
        plural: req.resource,
        limit: req.limit,
        _continue: req.continueToken,
      };
      const api = req.group === "" ? coreCustom : custom;
      const body: unknown = req.namespace
        ? await api.listNamespacedCustomObject({ ...common, namespace: req.namespace })
        : await api.listClusterCustomObject(common);
      if (!isRecord(body) || !Array.isArray(body.items)) {
        throw new Error(`${req.resource}: the server answered something other than a List`);
      }
      const meta = isRecord(body.metadata) ? body.metadata : {};
      const token = typeof meta.continue === "string" && meta.continue !== "" ? meta.continue : undefined;
      return { items: body.items, continueToken: token };
    },
  };
}

/** The HTTP status of a failed Kubernetes call, or undefined for a network error. */
export function kubeStatus(e: unknown): number | undefined {
  return e instanceof ApiException ? e.code : undefined;
}

/** A one-line reason for a failed call: the Status message the API server sent, else the error's. */
export function kubeReason(e: unknown): string {
  if (e instanceof ApiException) {
    let body: unknown = e.body;
    if (typeof body === "string") {
      try {
        body = JSON.parse(body);
      } catch {
        // not JSON: use it as it is
      }
    }
    const message = isRecord(body) && typeof body.message === "string" ? body.message : String(e.body);
    return `${e.code} ${message}`.slice(0, 300);
  }
  return e instanceof Error ? e.message : String(e);
}
