/**
 * An in-process Kubernetes API server over HTTP for the collector's tests and bench: discovery (/api, /apis,
 * /api/v1, /apis/<group>/<version>) and List responses shaped like a real server's (built-in items without
 * apiVersion/kind, `metadata.continue` and `remainingItemCount` when paginated, Status bodies for errors),
 * with knobs for what real clusters do to a collector: 403 for a kind (optionally allowed in some
 * namespaces), groups not served (404), and continue tokens that expire (410).
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { GROUPS, RESOURCES, resourceKey, type ServedResource } from "./resources.js";

export type Obj = Record<string, unknown>;

export interface FakeClusterOptions {
  objects: Obj[];
  /** API groups the server does not serve at all (no Istio, no trivy-operator) */
  absentGroups?: string[];
  /** resourceKey → namespaces where a namespaced list is still allowed (none: forbidden everywhere) */
  forbidden?: Record<string, string[]>;
  /** resourceKey → how many continue tokens of that resource answer 410 Gone before they work again */
  expireContinue?: Record<string, number>;
  token?: string;
}

export interface FakeApiServer {
  url: string;
  token: string;
  /** every request's path and query, in order */
  requests: string[];
  kubeConfig(): KubeConfig;
  /** a kubeconfig file's content pointing at this server */
  kubeconfigYaml(context?: string): string;
  close(): Promise<void>;
}

export function loadFixture(path: URL | string): Obj[] {
  return parseAllDocuments(readFileSync(path, "utf8"))
    .map((d) => d.toJSON() as Obj | null)
    .filter((o): o is Obj => o !== null);
}

const meta = (o: Obj) => (o.metadata ?? {}) as { name?: string; namespace?: string };

function status(res: ServerResponse, code: number, reason: string, message: string, details?: Obj) {
  res.writeHead(code, { "content-type": "application/json" });
  res.end(
    JSON.stringify({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message,
      reason,
      details,
      code,
    }),
  );
}

function json(res: ServerResponse, body: unknown) {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

export async function startFakeApiServer(opts: FakeClusterOptions): Promise<FakeApiServer> {
  const token = opts.token ?? "fake-sa-token";
  const absent = new Set(opts.absentGroups ?? []);
  const groups = GROUPS.filter((g) => !absent.has(g.name));
  const served = RESOURCES.filter((r) => !absent.has(r.group));
  const expire = new Map(Object.entries(opts.expireContinue ?? {}));
  const requests: string[] = [];
  const resourceVersion = "481516";
  // objects per resource, in etcd key order (namespace, then name), as a real list returns them
  const store = new Map<ServedResource, Obj[]>();
  for (const r of served) {
    const items = opts.objects.filter((o) => {
      const [g, v] = String(o.apiVersion).includes("/")
        ? String(o.apiVersion).split("/")
        : ["", o.apiVersion];
      return g === r.group && o.kind === r.kind && v !== undefined;
    });
    items.sort((a, b) =>
      `${meta(a).namespace ?? ""}/${meta(a).name}`.localeCompare(
        `${meta(b).namespace ?? ""}/${meta(b).name}`,
      ),
    );
    store.set(r, items);
  }

  const discovery = (res: ServerResponse, group: string, version: string) => {
    const list = served.filter((r) => r.group === group && r.versions.includes(version));
    if (list.length === 0)
      return status(res, 404, "NotFound", "the server could not find the requested resource");
    const resources = list.flatMap((r) => {
      const main = {
        name: r.resource,
        singularName: r.kind.toLowerCase(),
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
      };
      // real servers list subresources beside their resources; a client must not mistake them for kinds
      return [
        main,
        {
          name: `${r.resource}/status`,
          singularName: "",
          namespaced: r.namespaced,
          kind: r.kind,
          verbs: ["get", "patch", "update"],
        },
      ];
    });
    json(res, {
      kind: "APIResourceList",
      apiVersion: "v1",
      groupVersion: group ? `${group}/${version}` : version,
      resources,
    });
  };

  const list = (
    res: ServerResponse,
    r: ServedResource,
    version: string,
    namespace: string | undefined,
    q: URLSearchParams,
  ) => {
    const key = resourceKey(r);
    const allowed = opts.forbidden?.[key];
    if (allowed && (!namespace || !allowed.includes(namespace))) {
      const where = namespace ? `in the namespace "${namespace}"` : "at the cluster scope";
      return status(
        res,
        403,
        "Forbidden",
        `${key} is forbidden: User "system:serviceaccount:bulwark:bulwark-collector" cannot list resource "${r.resource}" in API group "${r.group}" ${where}`,
        { kind: r.resource, group: r.group },
      );
    }
    let items = (store.get(r) ?? []).filter((o) => !namespace || meta(o).namespace === namespace);
    let start = 0;
    const cont = q.get("continue");
    if (cont) {
      const left = expire.get(key) ?? 0;
      if (left > 0) {
        expire.set(key, left - 1);
        return status(
          res,
          410,
          "Expired",
          "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results.",
        );
      }
      try {
        const t = JSON.parse(Buffer.from(cont, "base64url").toString()) as {
          key: string;
          ns?: string;
          start: number;
        };
        if (t.key !== key || t.ns !== namespace) throw new Error("token of another list");
        start = t.start;
      } catch {
        return status(res, 400, "BadRequest", "continue key is not valid");
      }
    }
    const limit = Number(q.get("limit") ?? 0);
    const end = limit > 0 ? Math.min(items.length, start + limit) : items.length;
    const listMeta: Obj = { resourceVersion };
    if (end < items.length) {
      listMeta.continue = Buffer.from(JSON.stringify({ key, ns: namespace, start: end })).toString(
        "base64url",
      );
      listMeta.remainingItemCount = items.length - end;
    }
    const apiVersion = r.group ? `${r.group}/${version}` : version;
    items = items.slice(start, end).map((o) => {
      // built-in list items come without apiVersion and kind; custom resources carry them, at the asked version
      const { apiVersion: _a, kind: _k, ...rest } = o;
      return r.group.includes(".") && !r.group.endsWith(".k8s.io")
        ? { apiVersion, kind: r.kind, ...rest }
        : rest;
    });
    json(res, { kind: `${r.kind}List`, apiVersion, metadata: listMeta, items });
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? "/", "http://fake");
    requests.push(`${u.pathname}${u.search}`);
    if (req.headers.authorization !== `Bearer ${token}`)
      return status(res, 401, "Unauthorized", "Unauthorized");
    if (req.method !== "GET") return status(res, 405, "MethodNotAllowed", "the collector only reads");
    const parts = u.pathname.split("/").filter(Boolean);
    if (u.pathname === "/api")
      return json(res, {
        kind: "APIVersions",
        versions: ["v1"],
        serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "10.0.0.1:6443" }],
      });
    if (u.pathname === "/apis") {
      return json(res, {
        kind: "APIGroupList",
        apiVersion: "v1",
        groups: groups
          .filter((g) => g.name)
          .map((g) => ({
            name: g.name,
            versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
            preferredVersion: { groupVersion: `${g.name}/${g.versions[0]}`, version: g.versions[0] },
          })),
      });
    }
    let group: string;
    let rest: string[];
    if (parts[0] === "api") [group, rest] = ["", parts.slice(1)];
    else if (parts[0] === "apis" && parts[1]) [group, rest] = [parts[1], parts.slice(2)];
    else return status(res, 404, "NotFound", "the server could not find the requested resource");
    const [version, ...path] = rest;
    if (!version || !groups.some((g) => g.name === group && g.versions.includes(version))) {
      return status(res, 404, "NotFound", "the server could not find the requested resource");
    }
    if (path.length === 0) return discovery(res, group, version);
    const [namespace, plural] =
      path[0] === "namespaces" && path.length === 3
        ? [path[1], path[2]]
        : [undefined, path.length === 1 ? path[0] : undefined];
    const r = served.find((x) => x.group === group && x.resource === plural && x.versions.includes(version));
    if (!r || (namespace && !r.namespaced))
      return status(res, 404, "NotFound", "the server could not find the requested resource");
    return list(res, r, version, namespace, u.searchParams);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kubeconfigYaml = (context = "fake") =>
    [
      "apiVersion: v1",
      "kind: Config",
      `clusters: [{ name: fake, cluster: { server: "${url}", insecure-skip-tls-verify: true } }]`,
      `users: [{ name: collector, user: { token: ${token} } }]`,
      `contexts: [{ name: ${context}, context: { cluster: fake, user: collector } }, { name: elsewhere, context: { cluster: fake, user: nobody } }]`,
      `current-context: elsewhere`,
      "",
    ].join("\n");
  return {
    url,
    token,
    requests,
    kubeConfig() {
      const kc = new KubeConfig();
      kc.loadFromString(kubeconfigYaml());
      kc.setCurrentContext("fake");
      return kc;
    },
    kubeconfigYaml,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
