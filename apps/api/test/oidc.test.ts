import { decryptSecret, encryptSecret } from "@bulwark/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "../../../test/support/browser.js";
import { firstForm, startIdp, type TestIdp } from "../../../test/support/oidc-provider.js";
import { call, createTenant } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";
import { invite } from "./support/people.js";

const CALLBACK = "http://localhost/v1/auth/oidc/callback";
let h: Harness;
let idpA: TestIdp;
let idpB: TestIdp;
let a: { tenantId: string; token: string };
let b: { tenantId: string; token: string };

function browser(): Browser {
  // the API in process at http://localhost, the provider over real HTTP
  return new Browser((url, init) =>
    new URL(url).hostname === "localhost" ? Promise.resolve(h.app.request(url, init)) : fetch(url, init),
  );
}

async function configure(tenant: { token: string }, idp: TestIdp, extra: Record<string, unknown> = {}) {
  const res = await call(h.app, "PUT", "/v1/sso", {
    token: tenant.token,
    body: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, ...extra },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** Start at Bulwark, sign in and consent at the provider; stop before the redirect back to the callback. */
async function toCallback(br: Browser, tenantId: string, login: string): Promise<string> {
  const isCallback = (u: string) => u.startsWith(CALLBACK);
  let res = await br.request("GET", `/v1/auth/oidc/${tenantId}/start?returnTo=/v1/me`, {
    stopAt: isCallback,
  });
  for (let i = 0; i < 4 && !isCallback(res.headers.get("location") ?? ""); i++) {
    const form = firstForm(res.text, res.url);
    const fields = form.fields.prompt === "login" ? { ...form.fields, login, password: "any" } : form.fields;
    res = await br.request("POST", form.action, { form: fields, stopAt: isCallback });
  }
  const location = res.headers.get("location");
  if (!location || !isCallback(location))
    throw new Error(`never reached the callback: ${res.status} ${res.url}`);
  return location;
}

beforeAll(async () => {
  h = await createHarness();
  [idpA, idpB] = await Promise.all([startIdp(CALLBACK), startIdp(CALLBACK)]);
  a = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "alpha");
  b = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "beta");
  await configure(a, idpA);
  await configure(b, idpB, { jitRole: "viewer", allowedDomains: ["beta.example"] });
});
afterAll(async () => {
  await Promise.all([idpA?.close(), idpB?.close()]);
  await h?.close();
});

describe("OIDC single sign-on against a real provider", () => {
  it("settings: the secret is never shown; the redirect URI to register is", async () => {
    const res = await call<Record<string, unknown>>(h.app, "GET", "/v1/sso", { token: a.token });
    expect(res.body).toMatchObject({ issuer: idpA.issuer, clientSecret: "********", redirectUri: CALLBACK });
    expect(JSON.stringify(res.body)).not.toContain(idpA.clientSecret);
    const row = await h.ctx.ownerPool.query(
      "select client_secret_ciphertext from sso_providers where tenant_id = $1",
      [a.tenantId],
    );
    expect(row.rows[0].client_secret_ciphertext).not.toContain(idpA.clientSecret);
    const bad = await call<{ errors: { location: string }[] }>(h.app, "PUT", "/v1/sso", {
      token: a.token,
      body: { issuer: "http://127.0.0.1:1/nothing", clientId: "x", clientSecret: "y" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]?.location).toBe("body.issuer");
  });

  it("an invited person signs in with code + PKCE + state + nonce, bound to the tenant", async () => {
    await invite(h.app, a.token, "ada@alpha.example", "editor");
    idpA.accounts.set("ada", { email: "ada@alpha.example", name: "Ada" });
    const br = browser();
    const start = await br.request("GET", `/v1/auth/oidc/${a.tenantId}/start`, { follow: false });
    expect(start.status).toBe(302);
    const auth = new URL(start.headers.get("location") ?? "");
    expect(auth.origin).toBe(idpA.issuer);
    expect(auth.searchParams.get("code_challenge_method")).toBe("S256");
    expect(auth.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(auth.searchParams.get("nonce")).toBeTruthy();
    expect(auth.searchParams.get("state")).toBeTruthy();

    const callback = await toCallback(br, a.tenantId, "ada");
    const done = await br.request<{ role: string; tenants: { id: string }[]; session: { bound: boolean } }>(
      "GET",
      callback,
    );
    expect(done.status).toBe(200);
    expect(done.chain.at(-1)).toBe("http://localhost/v1/me");
    expect(done.body).toMatchObject({ role: "editor", session: { bound: true } });
    expect(done.body.tenants.map((t) => t.id)).toEqual([a.tenantId]);

    // the same callback again: the state is spent
    const replay = await br.request<{ status: number }>("GET", callback);
    expect(replay.status).toBe(400);
  });

  it("a wrong state is refused and no session is opened", async () => {
    idpA.accounts.set("ada", { email: "ada@alpha.example" });
    const br = browser();
    const callback = new URL(await toCallback(br, a.tenantId, "ada"));
    callback.searchParams.set("state", "not-the-state");
    const res = await br.request<{ detail: string }>("GET", callback.toString());
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/state/);
    expect((await br.request("GET", "/v1/me")).status).toBe(401);
  });

  it("an ID token whose nonce differs from the one sent is refused", async () => {
    const br = browser();
    const callback = await toCallback(br, a.tenantId, "ada");
    const key = Buffer.from(h.ctx.config.SECRETS_KEY, "base64");
    const raw = (await br.cookie("__Host-bulwark_oidc")) ?? "";
    const flow = JSON.parse(decryptSecret(key, raw, "oidc-flow"));
    await br.jar.setCookie(
      `__Host-bulwark_oidc=${encryptSecret(key, JSON.stringify({ ...flow, n: "another-nonce" }), "oidc-flow")}; Path=/; Secure; HttpOnly`,
      "http://localhost/",
    );
    const res = await br.request<{ detail: string }>("GET", callback);
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/nonce/);
  });

  it("a code from another tenant's provider does not sign in here", async () => {
    idpB.accounts.set("bob", { email: "bob@beta.example" });
    const brA = browser();
    const callbackA = new URL(await toCallback(brA, a.tenantId, "ada"));
    const brB = browser();
    const callbackB = new URL(await toCallback(brB, b.tenantId, "bob"));
    callbackA.searchParams.set("code", callbackB.searchParams.get("code") ?? "");
    const res = await brA.request<{ detail: string }>("GET", callbackA.toString());
    expect(res.status).toBe(401);
    expect((await brA.request("GET", "/v1/me")).status).toBe(401);
  });

  it("just-in-time membership with the default role, domain restriction, and no way into another tenant", async () => {
    idpB.accounts.set("carol", { email: "carol@beta.example" });
    const br = browser();
    const me = await br.request<{ role: string; tenant: { id: string } }>(
      "GET",
      await toCallback(br, b.tenantId, "carol"),
    );
    expect(me.body).toMatchObject({ role: "viewer", tenant: { id: b.tenantId } });
    const csrf = (await br.cookie("__Host-bulwark_csrf")) ?? "";
    const sw = await br.request("POST", "/v1/auth/switch-tenant", {
      json: { tenant: a.tenantId },
      headers: { "x-csrf-token": csrf },
    });
    expect(sw.status).toBe(403);

    idpB.accounts.set("mallory", { email: "mallory@elsewhere.example" });
    const br2 = browser();
    const denied = await br2.request<{ detail: string }>("GET", await toCallback(br2, b.tenantId, "mallory"));
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toMatch(/domain/);

    // not invited and no just-in-time membership at alpha
    idpA.accounts.set("eve", { email: "eve@alpha.example" });
    const br3 = browser();
    const notMember = await br3.request("GET", await toCallback(br3, a.tenantId, "eve"));
    expect(notMember.status).toBe(403);

    const log = await call<{ items: { action: string; outcome: string; target: string }[] }>(
      h.app,
      "GET",
      "/v1/audit-log?action=auth.sign_in",
      { token: a.token },
    );
    expect(log.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ outcome: "success", target: "ada@alpha.example" }),
        expect.objectContaining({ outcome: "denied", target: "eve@alpha.example" }),
        expect.objectContaining({ outcome: "failure" }),
      ]),
    );
  });
});
