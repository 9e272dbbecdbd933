import type { SuppressionRow } from "../../services/suppressions/row.js";
import { Csrf, Layout } from "../components/layout.js";
import { Scroll } from "../components/scroll.js";
import type { Viewer } from "../guard.js";

/** A selector as one line: the fields it matches, in the order a person reads them. */
function selectorText(s: SuppressionRow, clusterName: (id: string) => string): string {
  const parts: string[] = [];
  if (s.ruleId) parts.push(`rule ${s.ruleId}`);
  if (s.clusterId) parts.push(`cluster ${clusterName(s.clusterId)}`);
  if (s.namespace) parts.push(`namespace ${s.namespace}`);
  if (s.kind || s.name) parts.push(`${s.kind ?? "any kind"}/${s.name ?? "any name"}`);
  if (s.fingerprint) parts.push(`one finding (${s.fingerprint.slice(0, 12)}…)`);
  return parts.length > 0 ? parts.join(", ") : "everything";
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The tenant's suppressions: what each matches, why, until when, and who made it; an editor lifts one (the
 * findings it covered read open again, with an `unsuppressed` event each). Expired ones on request.
 */
export function SuppressionsPage(props: {
  viewer: Viewer;
  items: SuppressionRow[];
  clusters: { id: string; name: string }[];
  includeExpired: boolean;
  next: string | null;
  notice?: string | undefined;
}) {
  const names = new Map(props.clusters.map((c) => [c.id, c.name]));
  const clusterName = (id: string) => names.get(id) ?? id;
  const now = Date.now();
  const expiredQs = props.includeExpired ? "" : "?expired=1";
  return (
    <Layout title="Suppressions" viewer={props.viewer} section="findings" notice={props.notice}>
      <div class="actions">
        <a href="/app/findings">Findings</a>
        <a href={`/app/suppressions${expiredQs}`}>
          {props.includeExpired ? "Active only" : "Include expired"}
        </a>
      </div>
      <Scroll label="Suppressions">
        <table>
          <caption>
            {props.items.length === 0
              ? "No suppressions"
              : `${props.includeExpired ? "Suppressions" : "Active suppressions"}, newest first`}
          </caption>
          <thead>
            <tr>
              <th scope="col">Matches</th>
              <th scope="col">Reason</th>
              <th scope="col">Until</th>
              <th scope="col">Created</th>
              {props.viewer.canWrite ? <th scope="col">Lift</th> : null}
            </tr>
          </thead>
          <tbody>
            {props.items.map((s) => (
              <tr>
                <td>{selectorText(s, clusterName)}</td>
                <td>{s.reason}</td>
                <td>
                  {day(s.expiresAt)}
                  {s.expiresAt.getTime() <= now ? " (expired)" : ""}
                </td>
                <td>
                  {day(s.createdAt)}
                  {s.createdBy ? ` by ${s.createdBy}` : ""}
                </td>
                {props.viewer.canWrite ? (
                  <td>
                    {s.expiresAt.getTime() > now ? (
                      <form method="post" action={`/app/suppressions/${s.id}/delete`}>
                        <Csrf viewer={props.viewer} />
                        <button
                          type="submit"
                          aria-label={`Lift the suppression of ${selectorText(s, clusterName)}`}
                        >
                          Lift
                        </button>
                      </form>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
      {props.next ? (
        <p>
          <a
            href={`/app/suppressions?${new URLSearchParams({ ...(props.includeExpired ? { expired: "1" } : {}), cursor: props.next })}`}
          >
            Next page
          </a>
        </p>
      ) : null}
    </Layout>
  );
}
