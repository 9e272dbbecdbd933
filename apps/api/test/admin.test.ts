import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createCluster, createTenant, envelope, upload } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";

type Problem = {
  type: string;
  status: number;
  detail: string;
  requestId: string;
  errors?: { location: string }[];
};

let h: Harness;
beforeAll(async () => {
  h = await createHarness({}, { captureLogs: true });
});
afterAll(async () => {
  await h?.close();
});

describe("POST /admin/v1/tenants", () => {
  it("creates a tenant and an admin+write+read token that works", async () => {
    const res = await call<{ tenant: { id: string; name: string }; token: string }>(
      h.app,
      "POST",
      "/admin/v1/tenants",
      {
        token: h.ctx.config.ADMIN_TOKEN,
        body: { name: "Acme Corp" },
      },
    );
    expect(res.status).toBe(201);
    expect(res.body.tenant).toEqual({ id: expect.stringMatching(/^ten_/), name: "Acme Corp" });
    expect(res.body.token).toMatch(/^bwk_/);
    const tokens = await call<{ items: { scopes: string[]; prefix: string }[] }>(h.app, "GET", "/v1/tokens", {
      token: res.body.token,
    });
    expect(tokens.status).toBe(200);
    expect(tokens.body.items).toHaveLength(1);
    expect(tokens.body.items[0]?.scopes.sort()).toEqual(["admin", "read", "write"]);
    expect(res.body.token.startsWith(tokens.body.items[0]?.prefix ?? "?")).toBe(true);
    // only the hash is stored
    const stored = await h.ctx.ownerPool.query("select token_hash from api_tokens where tenant_id = $1", [
      res.body.tenant.id,
    ]);
    expect(stored.rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored.rows)).not.toContain(res.body.token);
  });

  it("401 without, or with a wrong, admin token; a tenant token is not an admin token", async () => {
    const { token } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "other");
    for (const auth of [undefined, "nope", `${h.ctx.config.ADMIN_TOKEN}x`, token]) {
      const res = await call<Problem>(h.app, "POST", "/admin/v1/tenants", {
        token: auth,
        body: { name: "x" },
      });
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.body.requestId).toBe(res.headers.get("x-request-id"));
    }
  });

  it("400 listing the bad field; 415 for a non-JSON body; 413 over 1 MiB; 400 for malformed JSON", async () => {
    const admin = h.ctx.config.ADMIN_TOKEN;
    const empty = await call<Problem>(h.app, "POST", "/admin/v1/tenants", {
      token: admin,
      body: { name: "" },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.errors?.map((e) => e.location)).toEqual(["body.name"]);
    const long = await call<Problem>(h.app, "POST", "/admin/v1/tenants", {
      token: admin,
      body: { name: "x".repeat(201) },
    });
    expect(long.status).toBe(400);
    const text = await call<Problem>(h.app, "POST", "/admin/v1/tenants", {
      token: admin,
      body: "name=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(text.status).toBe(415);
    const huge = await call<Problem>(h.app, "POST", "/admin/v1/tenants", {
      token: admin,
      body: { name: "x".repeat(1024 * 1024 + 1) },
    });
    expect(huge.status).toBe(413);
    const broken = await call<Problem>(h.app, "POST", "/admin/v1/tenants", { token: admin, body: "{oops" });
    expect(broken.status).toBe(400);
    expect(broken.body.type).toMatch(/bad_request$/);
  });
});

describe("Bearer API tokens on /v1", () => {
  it("401 for missing, malformed, unknown and revoked tokens; 403 for a missing scope", async () => {
    const { token } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "scopes");
    expect((await call(h.app, "GET", "/v1/findings")).status).toBe(401);
    expect(
      (await call(h.app, "GET", "/v1/findings", { headers: { authorization: "Basic abc" } })).status,
    ).toBe(401);
    expect((await call(h.app, "GET", "/v1/findings", { token: "bwk_unknown" })).status).toBe(401);

    const read = await call<{ id: string; token: string }>(h.app, "POST", "/v1/tokens", {
      token,
      body: { name: "reader", scopes: ["read"] },
    });
    expect((await call(h.app, "GET", "/v1/findings", { token: read.body.token })).status).toBe(200);
    const forbidden = await call<Problem>(h.app, "POST", "/v1/clusters", {
      token: read.body.token,
      body: { name: "x" },
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.detail).toMatch(/"admin" scope/);
    const noWrite = await call(h.app, "POST", "/v1/suppressions", { token: read.body.token, body: {} });
    expect(noWrite.status).toBe(403);

    expect((await call(h.app, "DELETE", `/v1/tokens/${read.body.id}`, { token })).status).toBe(204);
    const revoked = await call<Problem>(h.app, "GET", "/v1/findings", { token: read.body.token });
    expect(revoked.status).toBe(401);
    expect(revoked.body.detail).toMatch(/revoked/);
  });

  it("records last use", async () => {
    const { tenantId, token } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "usage");
    await call(h.app, "GET", "/v1/clusters", { token });
    const r = await h.ctx.ownerPool.query("select last_used_at from api_tokens where tenant_id = $1", [
      tenantId,
    ]);
    expect(r.rows[0].last_used_at).toBeInstanceOf(Date);
  });
});

describe("logs", () => {
  it("one line per request with method, route, status, duration, tenant and request id; never a secret", async () => {
    const { tenantId, token } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "logged");
    const { clusterId, key } = await createCluster(h.app, token, "logged-cluster");
    const more = await call<{ secret: string }>(h.app, "POST", `/v1/clusters/${clusterId}/keys`, { token });
    await upload(h.app, key, envelope());
    await upload(h.app, key, envelope(), { secret: "bws_wrong" });
    await call(h.app, "GET", "/v1/clusters", { token, headers: { "x-request-id": "req-abc-123" } });

    const lines = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    const line = lines.find((l) => l.requestId === "req-abc-123");
    expect(line).toMatchObject({
      msg: "request",
      method: "GET",
      route: "/v1/clusters",
      status: 200,
      tenantId,
    });
    expect(line?.durationMs).toEqual(expect.any(Number));
    const ingest = lines.filter((l) => l.route === "/v1/reports");
    expect(ingest.map((l) => l.status)).toEqual([202, 401]);
    expect(ingest[1]?.tenantId).toBe(tenantId);

    const all = h.logs.join("\n");
    for (const secret of [
      h.ctx.config.ADMIN_TOKEN,
      token,
      key.secret,
      more.body.secret,
      h.ctx.config.SECRETS_KEY,
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});
