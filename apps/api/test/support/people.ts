import { randomBytes } from "node:crypto";
import type { Role } from "@bulwark/schema";
import { Browser } from "../../../../test/support/browser.js";
import type { TestSmtp } from "../../../../test/support/smtp.js";
import { createSession } from "../../src/services/sessions/create.js";
import { ensureMembership, ensureUser } from "../../src/services/users/ensure.js";
import { call } from "./client.js";
import type { Harness, TestApp } from "./harness.js";

export const PASSWORD = "correct horse battery staple 42";

/** A Browser whose requests go to the in-process app. */
export function browserFor(app: TestApp): Browser {
  return new Browser((url, init) => Promise.resolve(app.request(url, init)));
}

/** The SMTP server of a harness configured with SMTP_URL: invitations arrive there. */
let mailbox: TestSmtp | undefined;
export function useMailbox(smtp: TestSmtp | undefined): void {
  mailbox = smtp;
}

/** Invite through the API (admin token) and return the accept link: from the answer, or from the e-mail. */
export async function invite(app: TestApp, adminToken: string, email: string, role: Role): Promise<string> {
  const res = await call<{ acceptUrl: string; delivery: string }>(app, "POST", "/v1/invitations", {
    token: adminToken,
    body: { email, role },
  });
  if (res.status !== 201) throw new Error(`invite failed: ${res.status} ${JSON.stringify(res.body)}`);
  if (res.body.delivery === "link") return res.body.acceptUrl;
  if (!mailbox) throw new Error("invitation e-mailed but no mailbox registered (useMailbox)");
  const mail = await mailbox.next();
  const url = /(http\S+\/v1\/auth\/invitations\/accept\?token=\S+)/.exec(mail.parsed.text ?? "")?.[1];
  if (!url) throw new Error("no link in the invitation e-mail");
  return url;
}

export function tokenOf(acceptUrl: string): string {
  return new URL(acceptUrl).searchParams.get("token") ?? "";
}

export interface Member {
  browser: Browser;
  userId: string;
  email: string;
  csrf: string;
}

/** The whole real path: invitation, acceptance with a password, signed in. */
export async function join(
  app: TestApp,
  adminToken: string,
  role: Role,
  email = `${role}-${randomBytes(4).toString("hex")}@example.com`,
): Promise<Member> {
  const url = await invite(app, adminToken, email, role);
  const browser = browserFor(app);
  const res = await browser.request<{ user: { id: string }; csrfToken: string }>(
    "POST",
    "/v1/auth/invitations/accept",
    { json: { token: tokenOf(url), password: PASSWORD, displayName: role } },
  );
  if (res.status !== 200) throw new Error(`accept failed: ${res.status} ${res.text}`);
  return { browser, userId: res.body.user.id, email, csrf: res.body.csrfToken };
}

/** A member and a session made directly through the verbs (fast; for the role matrix). */
export async function quickSession(
  h: Harness,
  tenantId: string,
  role: Role,
  email = `${role}-${randomBytes(4).toString("hex")}@example.com`,
): Promise<{ cookie: string; csrf: string; userId: string }> {
  const { pool, config } = h.deps;
  const user = await ensureUser({ ctx: { pool }, input: { email, displayName: role } });
  await ensureMembership({ ctx: { pool, tenantId }, input: { userId: user.id, role } });
  const s = await createSession({
    ctx: { pool, secretsKey: config.SECRETS_KEY, maxHours: config.SESSION_MAX_HOURS },
    input: { userId: user.id, tenantId, bound: false, method: "password", ip: null, userAgent: null },
  });
  return { cookie: `__Host-bulwark_session=${s.token}`, csrf: s.csrfToken, userId: user.id };
}
