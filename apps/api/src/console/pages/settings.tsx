import { ROLES, TOKEN_SCOPES } from "@bulwark/schema";
import type { InvitationView } from "../../services/invitations/create.js";
import type { Member } from "../../services/members/list.js";
import type { SlaPolicy } from "../../services/sla/policy.js";
import type { SsoSettings } from "../../services/sso/settings.js";
import type { TokenSummary } from "../../services/tokens/list.js";
import { Csrf, Layout } from "../components/layout.js";
import { Invitations, Members } from "../components/people.js";
import { Scroll } from "../components/scroll.js";
import { Copyable, Time } from "../components/ui.js";
import type { Viewer } from "../guard.js";

export interface AuditEntry {
  id: number;
  at: Date;
  actorLabel: string | null;
  action: string;
  target: string | null;
  outcome: string;
  status: number | null;
}

export interface SettingsData {
  members: Member[];
  invitations: InvitationView[];
  tokens: TokenSummary[];
  sso: SsoSettings | null;
  sla: SlaPolicy;
  audit: AuditEntry[];
}

function Tokens(props: { viewer: Viewer; tokens: TokenSummary[] }) {
  return (
    <section aria-labelledby="tokens-h">
      <h2 id="tokens-h">API tokens</h2>
      <Scroll label="API tokens">
        <table class="compact">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Scopes</th>
              <th scope="col">Last used</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {props.tokens.map((t) => (
              <tr>
                <td>
                  {t.name} <code class="muted">{t.prefix}…</code>
                </td>
                <td>{t.scopes.join(", ")}</td>
                <td>
                  <Time at={t.lastUsedAt} />
                </td>
                <td>
                  {t.revokedAt ? (
                    "revoked"
                  ) : (
                    <form method="post" action={`/app/settings/tokens/${t.id}/revoke`}>
                      <Csrf viewer={props.viewer} />
                      <button type="submit" class="danger" aria-label={`Revoke ${t.name}`}>
                        Revoke
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
      <form method="post" action="/app/settings/tokens" class="stack">
        <Csrf viewer={props.viewer} />
        <label for="token-name">Token name</label>
        <input id="token-name" name="name" required />
        <fieldset>
          <legend>Scopes</legend>
          {TOKEN_SCOPES.map((s) => (
            <label class="check">
              <input type="checkbox" name={`scope-${s}`} checked={s === "read"} /> {s}
            </label>
          ))}
        </fieldset>
        <button type="submit">Create token</button>
      </form>
    </section>
  );
}

function Sla(props: { viewer: Viewer; sla: SlaPolicy }) {
  const sev = ["critical", "high", "medium", "low"] as const;
  return (
    <section aria-labelledby="sla-h">
      <h2 id="sla-h">SLA policy</h2>
      <p class="muted">Days to fix an open finding{props.sla.custom ? "" : " (the documented defaults)"}.</p>
      <form method="post" action="/app/settings/sla" class="filters">
        <Csrf viewer={props.viewer} />
        {sev.map((s) => (
          <div>
            <label for={`sla-${s}`}>{s}</label>
            <input
              id={`sla-${s}`}
              name={s}
              type="number"
              min="1"
              max="3650"
              value={String(props.sla.days[s])}
            />
          </div>
        ))}
        <div class="actions">
          <button type="submit">Save SLA</button>
        </div>
      </form>
    </section>
  );
}

function SsoForm(props: { viewer: Viewer; sso: SsoSettings | null }) {
  const s = props.sso;
  return (
    <details>
      <summary>{s ? "Change single sign-on" : "Set up single sign-on"}</summary>
      <form method="post" action="/app/settings/sso" class="stack">
        <Csrf viewer={props.viewer} />
        <label for="sso-issuer">Issuer URL</label>
        <input id="sso-issuer" name="issuer" type="url" required value={s?.issuer ?? ""} />
        <label for="sso-client">Client id</label>
        <input id="sso-client" name="clientId" required value={s?.clientId ?? ""} />
        <label for="sso-secret">Client secret</label>
        <input
          id="sso-secret"
          name="clientSecret"
          type="password"
          autocomplete="off"
          placeholder={s ? "unchanged" : ""}
        />
        <label for="sso-domains">Allowed e-mail domains</label>
        <input id="sso-domains" name="allowedDomains" value={s?.allowedDomains.join(", ") ?? ""} />
        <label for="sso-jit">New members join as</label>
        <select id="sso-jit" name="jitRole">
          <option value="">nobody (invitation needed)</option>
          {ROLES.filter((r) => r !== "owner").map((r) => (
            <option value={r} selected={s?.jitRole === r}>
              {r}
            </option>
          ))}
        </select>
        <button type="submit">Save single sign-on</button>
      </form>
    </details>
  );
}

export function SettingsPage(props: { viewer: Viewer; data: SettingsData; notice?: string | undefined }) {
  const { data, viewer } = props;
  return (
    <Layout title="Settings" viewer={viewer} section="settings" notice={props.notice}>
      <Members viewer={viewer} members={data.members} />
      <Invitations viewer={viewer} invitations={data.invitations} />
      <Tokens viewer={viewer} tokens={data.tokens} />
      <section aria-labelledby="sso-h">
        <h2 id="sso-h">Single sign-on</h2>
        {data.sso ? (
          <dl class="facts">
            <dt>Issuer</dt>
            <dd>{data.sso.issuer}</dd>
            <dt>Client id</dt>
            <dd>{data.sso.clientId}</dd>
            <dt>Allowed domains</dt>
            <dd>{data.sso.allowedDomains.join(", ") || "any"}</dd>
            <dt>New members join as</dt>
            <dd>{data.sso.jitRole ?? "nobody (invitation needed)"}</dd>
          </dl>
        ) : (
          <p class="muted">Not configured.</p>
        )}
        <p>
          Sign-in entry for your members: <code>/app/sso?tenant={viewer.auth.tenantId}</code>
        </p>
        <SsoForm viewer={viewer} sso={data.sso} />
      </section>
      <Sla viewer={viewer} sla={data.sla} />
      <section aria-labelledby="audit-h">
        <h2 id="audit-h">Audit log</h2>
        <Scroll label="Audit log">
          <table class="compact">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {data.audit.map((a) => (
                <tr>
                  <td>
                    <Time at={a.at} />
                  </td>
                  <td>{a.actorLabel ?? "—"}</td>
                  <td>
                    <code>{a.action}</code>
                  </td>
                  <td>{a.target ?? "—"}</td>
                  <td>
                    {a.outcome} {a.status ?? ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      </section>
    </Layout>
  );
}

export function TokenCreatedPage(props: { viewer: Viewer; name: string; token: string }) {
  return (
    <Layout title="Token created" viewer={props.viewer} section="settings">
      <p>The token {props.name} is shown this once:</p>
      <Copyable id="new-token" label="API token" text={props.token} />
      <p>
        <a href="/app/settings">Back to the settings</a>
      </p>
    </Layout>
  );
}
