import { SEVERITIES } from "@bulwark/schema";
import type { Viewer } from "../guard.js";
import { Csrf } from "./layout.js";

function Field(props: {
  id: string;
  label: string;
  value: string;
  hint?: string;
  required?: boolean;
  type?: string;
}) {
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? "text"}
        value={props.value}
        required={props.required ?? false}
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
      />
      {props.hint ? (
        <small id={`${props.id}-hint`} class="muted">
          {props.hint}
        </small>
      ) : null}
    </>
  );
}

/** Create or edit a notification rule; posts to the console, which checks it with the API's schema. */
export function RuleForm(props: {
  viewer: Viewer;
  action: string;
  values: Record<string, string>;
  editing: boolean;
}) {
  const v = props.values;
  const get = (k: string, d = "") => v[k] ?? d;
  return (
    <form method="post" action={props.action} class="stack">
      <Csrf viewer={props.viewer} />
      <Field id="name" label="Name" value={get("name")} required />
      <Field
        id="cron"
        label="Schedule (cron)"
        value={get("cron", "0 8 * * MON-FRI")}
        hint="minute hour day month weekday"
        required
      />
      <Field
        id="timezone"
        label="Time zone"
        value={get("timezone", "UTC")}
        hint="IANA name, e.g. Europe/Berlin"
        required
      />
      <label for="channelType">Channel</label>
      <select id="channelType" name="channelType">
        {["email", "slack", "webhook"].map((t) => (
          <option value={t} selected={get("channelType", "email") === t}>
            {t}
          </option>
        ))}
      </select>
      <Field
        id="to"
        label="E-mail recipients"
        value={get("to")}
        hint="comma separated; for the email channel"
      />
      <Field
        id="webhookUrl"
        label="Slack webhook URL"
        value=""
        hint={props.editing ? "write-only: leave empty to keep the current one" : "for the slack channel"}
      />
      <Field
        id="url"
        label="Webhook URL"
        value=""
        hint={props.editing ? "write-only: leave empty to keep the current one" : "for the webhook channel"}
      />
      <Field id="secret" label="Webhook signing secret" value="" hint="optional; generated when empty" />
      <Field
        id="clusters"
        label="Clusters"
        value={get("clusters")}
        hint="names or ids, comma separated; empty: all"
      />
      <Field
        id="namespaces"
        label="Namespaces"
        value={get("namespaces")}
        hint="names or globs (payments-*); empty: all"
      />
      <label for="minSeverity">Lowest severity</label>
      <select id="minSeverity" name="minSeverity">
        <option value="">any</option>
        {SEVERITIES.map((s) => (
          <option value={s} selected={get("minSeverity") === s}>
            {s}
          </option>
        ))}
      </select>
      <label for="instant">Instant alert at or above</label>
      <select id="instant" name="instant">
        <option value="">off</option>
        {SEVERITIES.map((s) => (
          <option value={s} selected={get("instant") === s}>
            {s}
          </option>
        ))}
      </select>
      <label class="check">
        <input type="checkbox" name="skipUnchanged" checked={get("skipUnchanged") === "on"} /> Skip periods
        without changes
      </label>
      <label class="check">
        <input type="checkbox" name="enabled" checked={get("enabled", "on") === "on"} /> Enabled
      </label>
      <button type="submit">{props.editing ? "Save changes" : "Create summary"}</button>
    </form>
  );
}
