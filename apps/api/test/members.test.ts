import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSmtp, type TestSmtp } from "../../../test/support/smtp.js";
import { call, createTenant } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";
import { browserFor, join, PASSWORD, useMailbox } from "./support/people.js";

let h: Harness;
let smtp: TestSmtp;
let admin: string;
let tenantId: string;
beforeAll(async () => {
  smtp = await startSmtp();
  h = await createHarness({ SMTP_URL: smtp.url, MAIL_FROM: "Bulwark <noreply@bulwark.test>" });
  ({ token: admin, tenantId } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "Acme & Co"));
});
beforeEach(() => useMailbox(smtp));
afterAll(async () => {
  useMailbox(undefined);
  await h?.close();
  await smtp?.close();
});

describe("invitations by e-mail", () => {
  it("sends the single-use link to the invitee only; it joins them with the role", async () => {
    const res = await call<Record<string, unknown>>(h.app, "POST", "/v1/invitations", {
      token: admin,
      body: { email: "Lin@Example.com", role: "viewer" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      delivery: "email",
      invitation: { email: "lin@example.com", status: "pending" },
    });
    expect(res.body).not.toHaveProperty("acceptUrl");
    const mail = await smtp.next();
    expect(mail.envelope.to).toEqual(["lin@example.com"]);
    expect(mail.parsed.subject).toBe("You are invited to Acme & Co on Bulwark");
    expect(mail.parsed.html).toContain("Acme &amp; Co");
    const link =
      /(http\S+\/v1\/auth\/invitations\/accept\?token=\S+)/.exec(mail.parsed.text ?? "")?.[1] ?? "";
    const token = new URL(link).searchParams.get("token") ?? "";
    const b = browserFor(h.app);
    const page = await b.request("GET", new URL(link).pathname + new URL(link).search);
    expect(page.status).toBe(200);
    // a plain HTML form post, as the page does: answered with a redirect, signed in
    const done = await b.request<{ role: string }>("POST", "/v1/auth/invitations/accept", {
      form: { token, password: PASSWORD, displayName: "Lin" },
    });
    expect(done.chain[1]).toBe("http://localhost/v1/me");
    expect(done.body.role).toBe("viewer");
  });

  it("a refused recipient answers 503 and leaves no pending invitation", async () => {
    const res = await call(h.app, "POST", "/v1/invitations", {
      token: admin,
      body: { email: "ghost@reject.example", role: "viewer" },
    });
    expect(res.status).toBe(503);
    const list = await call<{ items: { email: string }[] }>(h.app, "GET", "/v1/invitations", {
      token: admin,
    });
    expect(list.body.items.map((i) => i.email)).not.toContain("ghost@reject.example");
  });
});

describe("lists", () => {
  it("members page by cursor; a revoked invitation's link no longer works", async () => {
    await join(h.app, admin, "viewer", "aa-page@example.com");
    await join(h.app, admin, "viewer", "ab-page@example.com");
    const first = await call<{ items: { email: string }[]; nextCursor: string }>(
      h.app,
      "GET",
      "/v1/members?limit=1",
      {
        token: admin,
      },
    );
    expect(first.body.items).toHaveLength(1);
    const rest = await call<{ items: { email: string }[] }>(
      h.app,
      "GET",
      `/v1/members?limit=500&cursor=${first.body.nextCursor}`,
      { token: admin },
    );
    const all = [first.body.items[0]?.email, ...rest.body.items.map((m) => m.email)];
    expect(all).toEqual([...all].sort());
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expect.arrayContaining(["aa-page@example.com", "ab-page@example.com"]));

    const inv = await call<{ invitation: { id: string } }>(h.app, "POST", "/v1/invitations", {
      token: admin,
      body: { email: "revoked@example.com", role: "viewer" },
    });
    const mail = await smtp.next();
    const link = /(http\S+token=\S+)/.exec(mail.parsed.text ?? "")?.[1] ?? "";
    expect(
      (await call(h.app, "DELETE", `/v1/invitations/${inv.body.invitation.id}`, { token: admin })).status,
    ).toBe(204);
    const listed = await call<{ items: { id: string; status: string }[] }>(
      h.app,
      "GET",
      "/v1/invitations?status=all",
      {
        token: admin,
      },
    );
    expect(listed.body.items.find((i) => i.id === inv.body.invitation.id)?.status).toBe("revoked");
    const page = await browserFor(h.app).request("GET", new URL(link).pathname + new URL(link).search);
    expect(page.status).toBe(404);
  });
});

describe("roles", () => {
  it("only owners grant or touch the owner role, and the last owner stays", async () => {
    const owner = await join(h.app, admin, "editor"); // promoted below by the operator's invitation path
    await h.ctx.ownerPool.query("update memberships set role = 'owner' where user_id = $1", [owner.userId]);
    const adm = await join(h.app, admin, "admin");
    const as = (m: typeof owner) => ({ "x-csrf-token": m.csrf });

    // an admin cannot make an owner, nor change or remove one
    expect(
      (
        await adm.browser.request("PATCH", `/v1/members/${adm.userId}`, {
          json: { role: "owner" },
          headers: as(adm),
        })
      ).status,
    ).toBe(403);
    expect(
      (await adm.browser.request("DELETE", `/v1/members/${owner.userId}`, { headers: as(adm) })).status,
    ).toBe(403);
    // the only owner cannot step down
    const last = await owner.browser.request("PATCH", `/v1/members/${owner.userId}`, {
      json: { role: "admin" },
      headers: as(owner),
    });
    expect(last.status).toBe(409);
    // an owner makes another owner; then the first may step down
    expect(
      (
        await owner.browser.request("PATCH", `/v1/members/${adm.userId}`, {
          json: { role: "owner" },
          headers: as(owner),
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await owner.browser.request("PATCH", `/v1/members/${owner.userId}`, {
          json: { role: "viewer" },
          headers: as(owner),
        })
      ).status,
    ).toBe(204);
    // a demoted member's next request has the new role's rights
    expect((await owner.browser.request("GET", "/v1/tokens")).status).toBe(403);
  });

  it("removing a member ends their sessions here and revokes their tokens", async () => {
    const m = await join(h.app, admin, "admin");
    const tok = await m.browser.request<{ token: string; userId: string }>("POST", "/v1/tokens", {
      json: { name: "mine", scopes: ["read", "admin"] },
      headers: { "x-csrf-token": m.csrf },
    });
    expect(tok.status).toBe(201);
    expect(tok.body.userId).toBe(m.userId);
    // demoted to viewer: the token keeps only what a viewer may do
    expect(
      (await call(h.app, "PATCH", `/v1/members/${m.userId}`, { token: admin, body: { role: "viewer" } }))
        .status,
    ).toBe(204);
    expect((await call(h.app, "GET", "/v1/tokens", { token: tok.body.token })).status).toBe(403);
    expect((await call(h.app, "GET", "/v1/findings", { token: tok.body.token })).status).toBe(200);
    expect((await call(h.app, "DELETE", `/v1/members/${m.userId}`, { token: admin })).status).toBe(204);
    expect((await call(h.app, "GET", "/v1/findings", { token: tok.body.token })).status).toBe(401);
    expect((await m.browser.request("GET", "/v1/me")).status).toBe(401);
    const members = await call<{ items: { userId: string }[] }>(h.app, "GET", "/v1/members", {
      token: admin,
    });
    expect(members.body.items.map((x) => x.userId)).not.toContain(m.userId);
  });
});

describe("sign-in throttling, CSRF, one-time links, sign out everywhere", () => {
  it("locks an account out after repeated failures (429 with Retry-After), even for the right password", async () => {
    const m = await join(h.app, admin, "viewer");
    const b = browserFor(h.app);
    for (let i = 0; i < h.ctx.config.LOGIN_MAX_FAILURES_PER_ACCOUNT; i++) {
      const r = await b.request("POST", "/v1/auth/login", {
        json: { email: m.email, password: `wrong ${i} password` },
      });
      expect(r.status).toBe(401);
    }
    const locked = await b.request("POST", "/v1/auth/login", {
      json: { email: m.email, password: PASSWORD },
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    const log = await call<{ items: { outcome: string }[] }>(
      h.app,
      "GET",
      `/v1/audit-log?action=auth.sign_in&target=${m.email}`,
      {
        token: admin,
      },
    );
    expect(log.body.items.filter((e) => e.outcome === "failure")).toHaveLength(
      h.ctx.config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    );
  });

  it("refuses cookie-authenticated writes from another site, and cross-site sign-in posts", async () => {
    const m = await join(h.app, admin, "admin");
    const evil = { origin: "https://evil.example", "x-csrf-token": m.csrf };
    expect((await m.browser.request("POST", "/v1/auth/logout", { headers: evil })).status).toBe(403);
    expect(
      (
        await browserFor(h.app).request("POST", "/v1/auth/login", {
          form: { email: m.email, password: PASSWORD },
          headers: { "sec-fetch-site": "cross-site" },
        })
      ).status,
    ).toBe(403);
    // the form field carries the token for server-rendered pages
    const out = await m.browser.request("POST", "/v1/auth/logout?returnTo=/bye", {
      form: { _csrf: m.csrf },
      follow: false,
    });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/bye");
  });

  it("a one-time link signs in once; returnTo never leaves the site", async () => {
    const { signInLinkFor } = await import("../src/services/sign-in-links/create.js");
    const link = await signInLinkFor({
      pool: h.deps.pool,
      tenantId,
      email: "demo@example.com",
      displayName: "Demo",
      role: "admin",
    });
    const token = new URL(link.path, "http://localhost").searchParams.get("token") ?? "";
    const b = browserFor(h.app);
    const first = await b.request("POST", "/v1/auth/link", {
      form: { token, returnTo: "//evil.example/x" },
      follow: false,
    });
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe("/v1/me");
    expect((await browserFor(h.app).request("POST", "/v1/auth/link", { json: { token } })).status).toBe(404);
  });

  it("sign out everywhere ends every session of the account", async () => {
    const m = await join(h.app, admin, "viewer");
    const other = browserFor(h.app);
    expect(
      (await other.request("POST", "/v1/auth/login", { json: { email: m.email, password: PASSWORD } }))
        .status,
    ).toBe(200);
    const out = await m.browser.request<{ signedOut: number }>("POST", "/v1/auth/logout-everywhere", {
      headers: { "x-csrf-token": m.csrf },
    });
    expect(out.body.signedOut).toBe(2);
    expect((await other.request("GET", "/v1/me")).status).toBe(401);
  });
});
