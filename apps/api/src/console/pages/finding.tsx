import type { FindingRow } from "@bulwark/insights";
import { getStrategy } from "@bulwark/schema";
import type { FindingEventRow } from "../../services/findings/get.js";
import { Csrf, Layout } from "../components/layout.js";
import { Copyable, SeverityBadge, Time } from "../components/ui.js";
import type { Viewer } from "../guard.js";
import { defaultExpiry, resourceOf } from "./findings.js";

const SCOPES: [string, string][] = [
  ["finding", "This finding only"],
  ["rule-resource", "This rule on this resource"],
  ["rule-namespace", "This rule in this namespace"],
  ["rule-cluster", "This rule in this cluster"],
  ["rule", "This rule everywhere"],
];

function SuppressForm(props: { viewer: Viewer; f: FindingRow }) {
  return (
    <section aria-labelledby="suppress-h" class="card">
      <h2 id="suppress-h">Suppress</h2>
      <form method="post" action={`/app/findings/${props.f.id}/suppress`} class="stack">
        <Csrf viewer={props.viewer} />
        <label for="scope">What to suppress</label>
        <select id="scope" name="scope">
          {SCOPES.map(([v, l]) => (
            <option value={v}>{l}</option>
          ))}
        </select>
        <label for="reason">Reason</label>
        <textarea id="reason" name="reason" required rows={2} />
        <label for="expiresOn">Expires on</label>
        <input id="expiresOn" name="expiresOn" type="date" required value={defaultExpiry()} />
        <button type="submit">Suppress</button>
      </form>
    </section>
  );
}

export function FindingPage(props: { viewer: Viewer; f: FindingRow; history: FindingEventRow[] }) {
  const { f } = props;
  const strategy = getStrategy(f.strategy);
  return (
    <Layout title={f.title} viewer={props.viewer} section="findings">
      <p>
        <a href="/app/findings">All findings</a>
      </p>
      <dl class="facts">
        <dt>Severity</dt>
        <dd>
          <SeverityBadge severity={f.severity} />
        </dd>
        <dt>Status</dt>
        <dd>{f.status}</dd>
        <dt>Rule</dt>
        <dd>
          <code>{f.rule_id}</code> ({f.source}) ·{" "}
          <a href={`/app/findings/groups?ruleId=${encodeURIComponent(f.rule_id)}`}>across workloads</a>
        </dd>
        <dt>Resource</dt>
        <dd>
          {resourceOf(f)}
          {f.resource_container ? ` · container ${f.resource_container}` : ""}
        </dd>
        {f.resource_image ? (
          <>
            <dt>Image</dt>
            <dd>
              <code>{f.resource_image}</code>
            </dd>
          </>
        ) : null}
        <dt>Cluster</dt>
        <dd>{f.cluster_name}</dd>
        <dt>Taxonomy</dt>
        <dd>
          {f.category} · <code>{f.strategy}</code> {strategy?.name ?? ""}
          {f.mapped ? "" : " (placed by the tool's own category)"}
        </dd>
        <dt>NIST citations</dt>
        <dd>{f.nist.length > 0 ? f.nist.join("; ") : "—"}</dd>
        <dt>First seen</dt>
        <dd>
          <Time at={f.first_seen_at} />
        </dd>
        <dt>Last seen</dt>
        <dd>
          <Time at={f.last_seen_at} />
        </dd>
        {f.resolved_at ? (
          <>
            <dt>Resolved</dt>
            <dd>
              <Time at={f.resolved_at} />
            </dd>
          </>
        ) : null}
      </dl>
      <h2>Remediation</h2>
      {f.remediation ? (
        <Copyable id="remediation" label="Remediation" text={f.remediation} />
      ) : (
        <p class="muted">None given by the tool.</p>
      )}
      <h2>References</h2>
      {f.references.length > 0 ? (
        <ul>
          {f.references.map((r) => (
            <li>
              {/^https?:\/\//.test(r) ? (
                <a href={r} rel="noopener noreferrer">
                  {r}
                </a>
              ) : (
                r
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">None.</p>
      )}
      <h2>History</h2>
      <table class="compact">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Report</th>
          </tr>
        </thead>
        <tbody>
          {props.history.map((e) => (
            <tr>
              <td>
                <Time at={e.at} />
              </td>
              <td>{e.from_status ?? "—"}</td>
              <td>{e.to_status}</td>
              <td>{e.report_id ? <code>{e.report_id}</code> : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>Raw details</summary>
        <pre>{JSON.stringify({ fingerprint: f.fingerprint, ...f.details }, null, 2)}</pre>
      </details>
      {props.viewer.canWrite && f.status === "open" ? <SuppressForm viewer={props.viewer} f={f} /> : null}
    </Layout>
  );
}
