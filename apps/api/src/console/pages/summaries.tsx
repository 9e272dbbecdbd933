import { ruleJson } from "../../routes/notification-rules/schema.js";
import type { RuleRow } from "../../services/notification-rules/row.js";
import { Layout } from "../components/layout.js";
import { RuleForm } from "../components/rule-form.js";
import { Scroll } from "../components/scroll.js";
import type { Viewer } from "../guard.js";

function channelText(ch: ReturnType<typeof ruleJson>["channel"]): string {
  if (ch.type === "email") return `email to ${ch.to.join(", ")}`;
  if (ch.type === "slack") return `Slack ${ch.webhookUrl}`;
  return `webhook ${ch.url}`;
}

export function SummariesPage(props: { viewer: Viewer; rules: RuleRow[]; notice?: string | undefined }) {
  return (
    <Layout title="Summaries" viewer={props.viewer} section="summaries" notice={props.notice}>
      <Scroll label="Notification rules">
        <table>
          <caption>Notification rules</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Schedule</th>
              <th scope="col">Channel</th>
              <th scope="col">State</th>
              <th scope="col">Next run</th>
            </tr>
          </thead>
          <tbody>
            {props.rules.length === 0 ? (
              <tr>
                <td colspan={5} class="muted">
                  No summaries yet.
                </td>
              </tr>
            ) : null}
            {props.rules.map((r) => {
              const j = ruleJson(r);
              return (
                <tr>
                  <td>
                    <a href={`/app/summaries/${r.id}`}>{r.name}</a>
                  </td>
                  <td>
                    <code>{r.cron}</code> ({r.timezone})
                  </td>
                  <td>{channelText(j.channel)}</td>
                  <td>
                    {r.enabled ? "enabled" : `disabled${r.disabledReason ? `: ${r.disabledReason}` : ""}`}
                  </td>
                  <td>{j.nextRunAt?.replace("T", " ").slice(0, 16) ?? "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Scroll>
      {props.viewer.canWrite ? (
        <section aria-labelledby="new-h" class="card">
          <h2 id="new-h">New summary</h2>
          <RuleForm viewer={props.viewer} action="/app/summaries" values={{}} editing={false} />
        </section>
      ) : null}
    </Layout>
  );
}
