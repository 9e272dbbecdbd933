import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createTenant } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";
import { browserFor, invite, join, PASSWORD, tokenOf } from "./support/people.js";

let h: Harness;
let admin: string;
let tenantId: string;
beforeAll(async () => {
  h = await createHarness();
  ({ token: admin, tenantId } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "acme"));
});
afterAll(async () => {
  await h?.close();
});

describe("invitation, password sign-in, session", () => {
  it("an invited colleague joins, signs in with the password and gets exactly the role's rights", async () => {
    const m = await join(h.app, admin, "editor", "Grace@Example.com");
    const me = await m.browser.request<{ user: { email: string }; role: string; scopes: string[] }>(
      "GET",
      "/v1/me",
    );
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      user: { email: "grace@example.com" },
      role: "editor",
      scopes: ["read", "write"],
    });

    // a fresh browser signs in with the password (e-mail case does not matter)
    const b = browserFor(h.app);
    const login = await b.request<{ csrfToken: string; tenant: { id: string } }>("POST", "/v1/auth/login", {
      json: { email: "GRACE@example.com", password: PASSWORD },
    });
    expect(login.status).toBe(200);
    expect(login.body.tenant.id).toBe(tenantId);
    const setCookie = login.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(
      /__Host-bulwark_session=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Lax/,
    );

    expect((await b.request("GET", "/v1/findings")).status).toBe(200);
    expect((await b.request("GET", "/v1/tokens")).status).toBe(403); // admin scope
    const write = (csrf?: string) =>
      b.request("POST", "/v1/suppressions", {
        json: {
          selector: { ruleId: "R1" },
          reason: "r",
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
        headers: csrf ? { "x-csrf-token": csrf } : {},
      });
    expect((await write()).status).toBe(403); // no CSRF token
    expect((await write("wrong")).status).toBe(403);
    expect((await write(login.body.csrfToken)).status).toBe(201);

    const out = await b.request("POST", "/v1/auth/logout", {
      headers: { "x-csrf-token": login.body.csrfToken },
    });
    expect(out.status).toBe(200);
    expect((await b.request("GET", "/v1/me")).status).toBe(401);
  });

  it("refuses a wrong password with the same answer as an unknown e-mail", async () => {
    const b = browserFor(h.app);
    const wrong = await b.request<{ detail: string }>("POST", "/v1/auth/login", {
      json: { email: "nobody@example.com", password: "whatever it is 1" },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.detail).toBe("wrong e-mail or password");
  });

  it("an invitation link works once", async () => {
    const url = await invite(h.app, admin, "once@example.com", "viewer");
    const b = browserFor(h.app);
    const page = await b.request("GET", new URL(url).pathname + new URL(url).search);
    expect(page.status).toBe(200);
    expect(page.text).toContain("as\n<strong>viewer</strong>");
    const first = await b.request("POST", "/v1/auth/invitations/accept", {
      json: { token: tokenOf(url), password: PASSWORD },
    });
    expect(first.status).toBe(200);
    const again = await browserFor(h.app).request("POST", "/v1/auth/invitations/accept", {
      json: { token: tokenOf(url), password: PASSWORD },
    });
    expect(again.status).toBe(404);
  });

  it("a weak or breached password is refused naming the field", async () => {
    const url = await invite(h.app, admin, "weak@example.com", "viewer");
    for (const password of ["short", "1qaz2wsx3edc", "weak@example.com"]) {
      const res = await browserFor(h.app).request<{ errors: { location: string }[] }>(
        "POST",
        "/v1/auth/invitations/accept",
        { json: { token: tokenOf(url), password } },
      );
      expect(res.status, password).toBe(400);
      expect(res.body.errors[0]?.location).toBe("body.password");
    }
  });

  it("tokens answer 401 once expired; a past expiresAt is refused", async () => {
    const res = await call<{ token: string }>(h.app, "POST", "/v1/tokens", {
      token: admin,
      body: { name: "short", scopes: ["read"], expiresAt: new Date(Date.now() + 1500).toISOString() },
    });
    expect(res.status).toBe(201);
    expect((await call(h.app, "GET", "/v1/findings", { token: res.body.token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    const expired = await call<{ detail: string }>(h.app, "GET", "/v1/findings", { token: res.body.token });
    expect(expired.status).toBe(401);
    expect(expired.body.detail).toMatch(/expired/);
  });
});

describe("session timeouts", () => {
  it("ends a session idle for longer than SESSION_IDLE_MINUTES, and one past its absolute expiry", async () => {
    const idle = await join(h.app, admin, "viewer");
    expect((await idle.browser.request("GET", "/v1/me")).status).toBe(200);
    await h.ctx.ownerPool.query(
      "update sessions set last_seen_at = now() - make_interval(mins => $2) where user_id = $1",
      [idle.userId, h.ctx.config.SESSION_IDLE_MINUTES + 1],
    );
    const res = await idle.browser.request<{ detail: string }>("GET", "/v1/me");
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/without use/);

    const old = await join(h.app, admin, "viewer");
    await h.ctx.ownerPool.query(
      "update sessions set expires_at = now() - interval '1 second' where user_id = $1",
      [old.userId],
    );
    expect((await old.browser.request("GET", "/v1/me")).status).toBe(401);
  });
});
