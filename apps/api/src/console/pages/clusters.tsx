import type { ClusterSummary } from "../../services/clusters/list.js";
import type { SigningKeySummary } from "../../services/clusters/list-keys.js";
import type { MeshCoverageView } from "../../services/mesh/row.js";
import type { ReportView } from "../../services/reports/row.js";
import { Csrf, Layout } from "../components/layout.js";
import { Scroll } from "../components/scroll.js";
import { Copyable, Time } from "../components/ui.js";
import type { Viewer } from "../guard.js";
import { ShareCell } from "./mesh.js";

export interface ClusterCard {
  cluster: ClusterSummary;
  reports: ReportView[];
  keys: SigningKeySummary[];
  mesh: MeshCoverageView | undefined;
}

function stats(r: ReportView): string {
  if (!r.stats) return "—";
  return Object.entries(r.stats)
    .map(([k, v]) => `${k} ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" · ");
}

function Cluster(props: { card: ClusterCard; viewer: Viewer }) {
  const { cluster, reports, keys, mesh } = props.card;
  return (
    <section class="card" id={cluster.id} aria-labelledby={`${cluster.id}-h`}>
      <h2 id={`${cluster.id}-h`}>{cluster.name}</h2>
      <p class="muted">
        <code>{cluster.id}</code> · registered <Time at={cluster.createdAt} />
      </p>
      <Scroll label="Last report per source">
        <table class="compact">
          <caption>Last report per source</caption>
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Status</th>
              <th scope="col">Collected</th>
              <th scope="col">Received</th>
              <th scope="col">Stats</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {reports.length === 0 ? (
              <tr>
                <td colspan={6} class="muted">
                  No report yet.
                </td>
              </tr>
            ) : null}
            {reports.map((r) => (
              <tr>
                <td>{r.source}</td>
                <td>{r.status}</td>
                <td>
                  <Time at={r.collectedAt} />
                </td>
                <td>
                  <Time at={r.receivedAt} />
                </td>
                <td>{stats(r)}</td>
                <td>{r.error ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
      <p>
        Mesh coverage:{" "}
        {mesh?.facts ? (
          <>
            STRICT mTLS <ShareCell s={mesh.facts.mtlsStrict} /> · default deny or allow policy{" "}
            <ShareCell s={mesh.facts.authorized} /> · meshed <ShareCell s={mesh.facts.meshed} />
          </>
        ) : (
          <span class="muted">no mesh report</span>
        )}
      </p>
      {props.viewer.isAdmin ? (
        <p>
          Signing keys:{" "}
          {keys.map((k) => (
            <span class="key">
              <code>{k.keyId}</code> {k.revokedAt ? "(revoked)" : "(active)"}{" "}
            </span>
          ))}
        </p>
      ) : null}
    </section>
  );
}

export function helmCommand(url: string, keyId: string, secret: string): string {
  return [
    "kubectl create namespace bulwark --dry-run=client -o yaml | kubectl apply -f -",
    `kubectl -n bulwark create secret generic bulwark-collector-key --from-literal=key-id=${keyId} --from-literal=key-secret='${secret}'`,
    "helm install bulwark-collector infra/helm/bulwark-collector -n bulwark \\",
    `  --set bulwark.url=${url} --set bulwark.existingSecret=bulwark-collector-key`,
  ].join("\n");
}

export function ClustersPage(props: { viewer: Viewer; cards: ClusterCard[]; notice?: string | undefined }) {
  return (
    <Layout title="Clusters" viewer={props.viewer} section="clusters" notice={props.notice}>
      {props.cards.length === 0 ? <p class="muted">No clusters yet.</p> : null}
      {props.cards.map((card) => (
        <Cluster card={card} viewer={props.viewer} />
      ))}
      {props.viewer.isAdmin ? (
        <section class="card" aria-labelledby="new-cluster-h">
          <h2 id="new-cluster-h">Add a cluster</h2>
          <form method="post" action="/app/clusters" class="stack">
            <Csrf viewer={props.viewer} />
            <label for="cluster-name">Name</label>
            <input id="cluster-name" name="name" required />
            <button type="submit">Create cluster</button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}

/** After creating a cluster: its key, once, inside a ready-to-paste install of the collector. */
export function ClusterCreatedPage(props: {
  viewer: Viewer;
  name: string;
  url: string;
  keyId: string;
  secret: string;
}) {
  return (
    <Layout title={`Cluster ${props.name} created`} viewer={props.viewer} section="clusters">
      <p>
        The signing key's secret is shown this once. Run this against the cluster to install the collector:
      </p>
      <Copyable
        id="helm-install"
        label="Install the collector"
        text={helmCommand(props.url, props.keyId, props.secret)}
      />
      <p>
        <a href="/app/clusters">Back to the clusters</a>
      </p>
    </Layout>
  );
}
