import type { FindingGroup } from "@bulwark/insights";
import { Layout } from "../components/layout.js";
import { Scroll } from "../components/scroll.js";
import { SeverityBadge, Time } from "../components/ui.js";
import type { Viewer } from "../guard.js";
import { type FindingsQuery, queryString } from "../lib/findings-query.js";

/** One CVE or check across workloads: how wide each is, worst first. */
export function FindingGroupsPage(props: {
  viewer: Viewer;
  q: FindingsQuery;
  by: "rule" | "image";
  groups: FindingGroup[];
}) {
  const { q } = props;
  const other = props.by === "rule" ? "image" : "rule";
  return (
    <Layout title="Findings grouped" viewer={props.viewer} section="findings">
      <div class="actions">
        <a href={`/app/findings?${queryString(q)}`}>Back to the list</a>
        <a href={`/app/findings/groups?${queryString(q, { by: other })}`}>
          Group by {other === "image" ? "CVE and image" : "CVE or check"}
        </a>
      </div>
      <Scroll label="Groups">
        <table>
          <caption>
            {props.groups.length} groups by {props.by === "rule" ? "CVE or check" : "CVE and image"} (
            {q.status})
          </caption>
          <thead>
            <tr>
              <th scope="col">Worst</th>
              <th scope="col">Rule</th>
              <th scope="col">Title</th>
              {props.by === "image" ? <th scope="col">Image</th> : null}
              <th scope="col">Findings</th>
              <th scope="col">Workloads</th>
              <th scope="col">Namespaces</th>
              <th scope="col">Clusters</th>
              <th scope="col">First seen</th>
            </tr>
          </thead>
          <tbody>
            {props.groups.map((g) => (
              <tr>
                <td>
                  <SeverityBadge severity={g.severity} />
                </td>
                <td>
                  <a href={`/app/findings?${queryString(q, { ruleId: g.ruleId, cursor: undefined })}`}>
                    <code>{g.ruleId}</code>
                  </a>
                </td>
                <td>{g.title}</td>
                {props.by === "image" ? <td>{g.image ?? "—"}</td> : null}
                <td>{g.findings}</td>
                <td>{g.workloads}</td>
                <td>{g.namespaces}</td>
                <td>{g.clusters}</td>
                <td>
                  <Time at={g.firstSeenAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
    </Layout>
  );
}
