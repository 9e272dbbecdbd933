import type { FindingRow } from "@bulwark/insights";
import { FindingFilters } from "../components/finding-filters.js";
import { Csrf, Layout } from "../components/layout.js";
import { Scroll } from "../components/scroll.js";
import { SeverityBadge, Time } from "../components/ui.js";
import type { Viewer } from "../guard.js";
import { type FindingsQuery, queryString } from "../lib/findings-query.js";

const SORTABLE: Record<string, string> = { severity: "Severity", ruleId: "Rule", lastSeenAt: "Last seen" };

/** A column header that sorts by it (again: reversed), keeping the filters. */
function SortHeader(props: { q: FindingsQuery; keyName: string }) {
  const current = props.q.sort.replace(/^-/, "");
  const reversed = props.q.sort.startsWith("-");
  const active = current === props.keyName;
  const next = active && !reversed ? `-${props.keyName}` : props.keyName;
  const label = SORTABLE[props.keyName];
  return (
    <th scope="col" aria-sort={active ? (reversed ? "ascending" : "descending") : undefined}>
      <a href={`/app/findings?${queryString(props.q, { sort: next, cursor: undefined })}`}>
        {label}
        {active ? (reversed ? " ↑" : " ↓") : ""}
      </a>
    </th>
  );
}

export function resourceOf(f: FindingRow): string {
  return [f.resource_namespace, f.resource_kind, f.resource_name].filter(Boolean).join(" / ") || "—";
}

export function FindingsPage(props: {
  viewer: Viewer;
  q: FindingsQuery;
  items: FindingRow[];
  next: string | null;
  clusters: { id: string; name: string }[];
  notice?: string | undefined;
}) {
  const { q, items } = props;
  const qs = queryString(q);
  // the export takes the filters and the order, not the page size
  const exportQs = queryString(q, { limit: undefined });
  return (
    <Layout title="Findings" viewer={props.viewer} section="findings" notice={props.notice}>
      <FindingFilters q={q} clusters={props.clusters} action="/app/findings" />
      <div class="actions">
        <a href={`/app/findings/groups?${qs}`}>Group by CVE or check</a>
        <a href="/app/suppressions">Suppressions</a>
        <a href={`/v1/findings/export?format=csv&${exportQs}`} download>
          Export CSV
        </a>
        <a href={`/v1/findings/export?format=sarif&${exportQs}`} download>
          Export SARIF
        </a>
      </div>
      <Scroll label="Findings">
        <table class="findings">
          <caption>
            {items.length === 0
              ? "No findings match these filters"
              : `Findings (${q.status}), page of ${items.length}`}
          </caption>
          <thead>
            <tr>
              <SortHeader q={q} keyName="severity" />
              <th scope="col">Title</th>
              <SortHeader q={q} keyName="ruleId" />
              <th scope="col">Resource</th>
              <th scope="col">Cluster</th>
              <th scope="col">Status</th>
              <SortHeader q={q} keyName="lastSeenAt" />
            </tr>
          </thead>
          <tbody>
            {items.map((f) => (
              <tr>
                <td data-label="Severity">
                  <SeverityBadge severity={f.severity} />
                </td>
                <td data-label="Title">
                  <a href={`/app/findings/${f.id}`}>{f.title}</a>
                </td>
                <td data-label="Rule">
                  <code>{f.rule_id}</code>
                </td>
                <td data-label="Resource">{resourceOf(f)}</td>
                <td data-label="Cluster">{f.cluster_name}</td>
                <td data-label="Status">{f.status}</td>
                <td data-label="Last seen">
                  <Time at={f.last_seen_at} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
      <nav class="pager" aria-label="Pages">
        {q.cursor ? <a href={`/app/findings?${qs}`}>First page</a> : null}
        {props.next ? (
          <a href={`/app/findings?${queryString(q, { cursor: props.next })}`} rel="next">
            Next page
          </a>
        ) : null}
      </nav>
      {props.viewer.canWrite ? <SelectorSuppression viewer={props.viewer} q={q} /> : null}
    </Layout>
  );
}

export function defaultExpiry(days = 30): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Suppress every finding a selector matches (editor role and up). */
function SelectorSuppression(props: { viewer: Viewer; q: FindingsQuery }) {
  const { q } = props;
  return (
    <details class="card">
      <summary>Suppress by selector</summary>
      <form method="post" action="/app/suppressions" class="stack">
        <Csrf viewer={props.viewer} />
        <p class="muted">Every field given must equal the finding's; leave a field empty to match any.</p>
        <label for="sel-ruleId">Rule id</label>
        <input id="sel-ruleId" name="ruleId" value={q.ruleId ?? ""} />
        <label for="sel-cluster">Cluster (name or id)</label>
        <input id="sel-cluster" name="cluster" value={q.cluster ?? ""} />
        <label for="sel-namespace">Namespace</label>
        <input id="sel-namespace" name="namespace" value={q.namespace ?? ""} />
        <label for="sel-kind">Kind</label>
        <input id="sel-kind" name="kind" value={q.kind ?? ""} />
        <label for="sel-name">Resource name</label>
        <input id="sel-name" name="name" value={q.name ?? ""} />
        <label for="sel-reason">Reason</label>
        <textarea id="sel-reason" name="reason" required rows={2} />
        <label for="sel-expires">Expires on</label>
        <input id="sel-expires" name="expiresOn" type="date" required value={defaultExpiry()} />
        <button type="submit">Suppress</button>
      </form>
    </details>
  );
}
