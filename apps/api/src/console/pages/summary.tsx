import type { DeliveryListRow } from "../../services/notification-rules/deliveries.js";
import type { RuleRow } from "../../services/notification-rules/row.js";
import { Csrf, Layout } from "../components/layout.js";
import { RuleForm } from "../components/rule-form.js";
import { Scroll } from "../components/scroll.js";
import { Copyable, Time } from "../components/ui.js";
import type { Viewer } from "../guard.js";
import { formOfRule } from "../lib/rule-form.js";

export interface Renderings {
  period: { start: Date; end: Date };
  email: { subject: string; text: string; html: string };
  slack: { text: string; blocks: unknown };
  webhook: unknown;
}

function Preview(props: { rule: RuleRow; p: Renderings }) {
  const { p } = props;
  return (
    <section aria-labelledby="preview-h">
      <h2 id="preview-h">Preview</h2>
      <p class="muted">
        The summary of the period so far, <Time at={p.period.start} /> to <Time at={p.period.end} />, three
        ways.
      </p>
      <h3>E-mail</h3>
      <p>
        Subject: <strong class="email-subject">{p.email.subject}</strong>
      </p>
      <iframe
        class="preview"
        title="E-mail preview (HTML)"
        src={`/app/summaries/${props.rule.id}/email.html`}
        sandbox=""
      />
      <details>
        <summary>Plain-text part</summary>
        <pre class="email-text">{p.email.text}</pre>
      </details>
      <h3>Slack</h3>
      <pre class="slack-text">{p.slack.text}</pre>
      <details>
        <summary>Block Kit blocks</summary>
        <Copyable
          id="slack-blocks"
          label="Slack blocks (JSON)"
          text={JSON.stringify(p.slack.blocks, null, 2)}
        />
      </details>
      <h3>Webhook</h3>
      <details>
        <summary>Signed JSON document</summary>
        <Copyable
          id="webhook-json"
          label="Webhook payload (JSON)"
          text={JSON.stringify(p.webhook, null, 2)}
        />
      </details>
    </section>
  );
}

function Deliveries(props: { items: DeliveryListRow[] }) {
  return (
    <section aria-labelledby="deliveries-h">
      <h2 id="deliveries-h">Delivery history</h2>
      <Scroll label="Deliveries">
        <table class="compact deliveries">
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Kind</th>
              <th scope="col">Period</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last error</th>
            </tr>
          </thead>
          <tbody>
            {props.items.length === 0 ? (
              <tr>
                <td colspan={6} class="muted">
                  Nothing sent yet.
                </td>
              </tr>
            ) : null}
            {props.items.map((d) => (
              <tr>
                <td>
                  <Time at={d.createdAt} />
                </td>
                <td>{d.kind}</td>
                <td>
                  <Time at={d.periodStart} /> – <Time at={d.periodEnd} />
                </td>
                <td>
                  {d.status}
                  {d.late ? " (late)" : ""}
                </td>
                <td>{d.attempts}</td>
                <td>{d.lastError ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
    </section>
  );
}

export function SummaryPage(props: {
  viewer: Viewer;
  rule: RuleRow;
  preview: Renderings;
  deliveries: DeliveryListRow[];
  notice?: string | undefined;
}) {
  const { rule, viewer } = props;
  return (
    <Layout title={rule.name} viewer={viewer} section="summaries" notice={props.notice}>
      <p>
        <a href="/app/summaries">All summaries</a>
      </p>
      {viewer.canWrite ? (
        <form method="post" action={`/app/summaries/${rule.id}/send`} class="actions">
          <Csrf viewer={viewer} />
          <button type="submit">Send now</button>
          <span class="muted">
            Sends the period so far; the scheduled summary still goes at the next tick.
          </span>
        </form>
      ) : null}
      <Preview rule={rule} p={props.preview} />
      <Deliveries items={props.deliveries} />
      {viewer.canWrite ? (
        <details class="card">
          <summary>Edit</summary>
          <RuleForm viewer={viewer} action={`/app/summaries/${rule.id}`} values={formOfRule(rule)} editing />
        </details>
      ) : null}
    </Layout>
  );
}

/** After creating a webhook rule without a secret: the generated one, once. */
export function SecretPage(props: { viewer: Viewer; ruleId: string; secret: string }) {
  return (
    <Layout title="Summary created" viewer={props.viewer} section="summaries">
      <p>
        The webhook signing secret was generated. It is shown once: store it where the receiver can read it.
      </p>
      <Copyable id="signing-secret" label="Signing secret" text={props.secret} />
      <p>
        <a href={`/app/summaries/${props.ruleId}`}>Continue to the summary</a>
      </p>
    </Layout>
  );
}
