import type { FindingRow } from "@bulwark/insights";
import type { MeshCoverageTotals } from "../../services/mesh/list.js";
import type { MeshCoverageView } from "../../services/mesh/row.js";
import { Layout } from "../components/layout.js";
import { Scroll } from "../components/scroll.js";
import { Copyable, SeverityBadge, Time } from "../components/ui.js";
import type { Viewer } from "../guard.js";
import { resourceOf } from "./findings.js";

type Share = { count: number; total: number; share: number | null };

export function ShareCell(props: { s: Share }) {
  const pct = props.s.share === null ? "—" : `${Math.round(props.s.share * 100)} %`;
  return (
    <span>
      {pct}{" "}
      <span class="muted">
        ({props.s.count}/{props.s.total})
      </span>
    </span>
  );
}

export function MeshPage(props: {
  viewer: Viewer;
  items: MeshCoverageView[];
  total: MeshCoverageTotals;
  findings: FindingRow[];
}) {
  const { total } = props;
  return (
    <Layout title="Mesh" viewer={props.viewer} section="mesh">
      <Scroll label="Coverage per cluster (application workloads)">
        <table>
          <caption>Coverage per cluster (application workloads)</caption>
          <thead>
            <tr>
              <th scope="col">Cluster</th>
              <th scope="col">STRICT mTLS</th>
              <th scope="col">Default deny or allow policy</th>
              <th scope="col">Meshed (sidecar / ambient)</th>
              <th scope="col">End-user authentication</th>
              <th scope="col">Collected</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((m) => (
              <tr>
                <th scope="row">{m.cluster.name}</th>
                {m.facts ? (
                  <>
                    <td>
                      <ShareCell s={m.facts.mtlsStrict} />
                    </td>
                    <td>
                      <ShareCell s={m.facts.authorized} />{" "}
                      <span class="muted">{m.facts.authorized.underDefaultDeny} under default deny</span>
                    </td>
                    <td>
                      <ShareCell s={m.facts.meshed} />{" "}
                      <span class="muted">
                        {m.facts.meshed.sidecar} / {m.facts.meshed.ambient}
                      </span>
                    </td>
                    <td>
                      <ShareCell s={m.facts.endUserAuth} />
                    </td>
                  </>
                ) : (
                  <td colspan={4} class="muted">
                    no mesh report
                  </td>
                )}
                <td>
                  <Time at={m.collectedAt} />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">All ({total.workloads} workloads)</th>
              <td>
                <ShareCell s={total.mtlsStrict} />
              </td>
              <td>
                <ShareCell s={total.authorized} />
              </td>
              <td>
                <ShareCell s={total.meshed} />
              </td>
              <td>
                <ShareCell s={total.endUserAuth} />
              </td>
              <td />
            </tr>
          </tfoot>
        </table>
      </Scroll>
      <h2>Mesh findings</h2>
      {props.findings.length === 0 ? <p class="muted">No open mesh findings.</p> : null}
      {props.findings.map((f, i) => (
        <section class="card">
          <h3>
            <SeverityBadge severity={f.severity} /> <a href={`/app/findings/${f.id}`}>{f.title}</a>
          </h3>
          <p class="muted">
            <code>{f.rule_id}</code> · {f.cluster_name} · {resourceOf(f)}
          </p>
          {f.remediation ? <Copyable id={`fix-${i}`} label="Remediation" text={f.remediation} /> : null}
        </section>
      ))}
      <p>
        <a href="/app/findings?source=mesh-config">All mesh findings in the findings list</a>
      </p>
    </Layout>
  );
}
