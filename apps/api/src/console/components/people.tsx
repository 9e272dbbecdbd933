import { ROLES } from "@bulwark/schema";
import type { InvitationView } from "../../services/invitations/create.js";
import type { Member } from "../../services/members/list.js";
import type { Viewer } from "../guard.js";
import { Csrf, Layout } from "./layout.js";
import { Scroll } from "./scroll.js";
import { Copyable, Time } from "./ui.js";

/** Settings: the tenant's members with their roles, and pending invitations (admin). */
export function Members(props: { viewer: Viewer; members: Member[] }) {
  return (
    <section aria-labelledby="members-h">
      <h2 id="members-h">Members and roles</h2>
      <Scroll label="Members">
        <table class="compact">
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Role</th>
              <th scope="col">Joined</th>
              <th scope="col">Remove</th>
            </tr>
          </thead>
          <tbody>
            {props.members.map((m) => (
              <tr>
                <td>
                  {m.displayName} <span class="muted">{m.email}</span>
                </td>
                <td>
                  <form method="post" action={`/app/settings/members/${m.userId}`} class="inline">
                    <Csrf viewer={props.viewer} />
                    <label for={`role-${m.userId}`} class="sr-only">{`Role of ${m.email}`}</label>
                    <select id={`role-${m.userId}`} name="role">
                      {ROLES.map((r) => (
                        <option value={r} selected={r === m.role}>
                          {r}
                        </option>
                      ))}
                    </select>{" "}
                    <button type="submit" class="secondary">
                      Change
                    </button>
                  </form>
                </td>
                <td>
                  <Time at={m.joinedAt} />
                </td>
                <td>
                  <form method="post" action={`/app/settings/members/${m.userId}/remove`}>
                    <Csrf viewer={props.viewer} />
                    <button type="submit" class="danger" aria-label={`Remove ${m.email}`}>
                      Remove
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
    </section>
  );
}

export function Invitations(props: { viewer: Viewer; invitations: InvitationView[] }) {
  return (
    <section aria-labelledby="inv-h">
      <h2 id="inv-h">Invitations</h2>
      <ul>
        {props.invitations.map((i) => (
          <li>
            {i.email} as {i.role}, until <Time at={i.expiresAt} />{" "}
            <form method="post" action={`/app/settings/invitations/${i.id}/revoke`} class="inline">
              <Csrf viewer={props.viewer} />
              <button type="submit" class="link" aria-label={`Revoke the invitation of ${i.email}`}>
                Revoke
              </button>
            </form>
          </li>
        ))}
      </ul>
      {props.invitations.length === 0 ? <p class="muted">No pending invitations.</p> : null}
      <form method="post" action="/app/settings/invitations" class="stack">
        <Csrf viewer={props.viewer} />
        <label for="invite-email">E-mail</label>
        <input id="invite-email" name="email" type="email" required />
        <label for="invite-role">Role</label>
        <select id="invite-role" name="role">
          {ROLES.map((r) => (
            <option value={r} selected={r === "viewer"}>
              {r}
            </option>
          ))}
        </select>
        <button type="submit">Invite</button>
      </form>
    </section>
  );
}

/**
 * An invitation that could not be e-mailed (no SMTP_URL): its single-use link, shown this once on the page
 * that answers the form, never put in a URL (a redirect's notice would leave it in history and access logs).
 */
export function InvitationLinkPage(props: { viewer: Viewer; email: string; link: string }) {
  return (
    <Layout title="Invitation created" viewer={props.viewer} section="settings">
      <p>
        No mail server is configured, so send {props.email} this single-use link yourself; it is shown this
        once:
      </p>
      <Copyable id="invitation-link" label="Invitation link" text={props.link} />
      <p>
        <a href="/app/settings">Back to the settings</a>
      </p>
    </Layout>
  );
}
