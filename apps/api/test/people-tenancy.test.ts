import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createCluster, createTenant, envelope, type SigningKey, upload } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";
import { browserFor, invite, join, PASSWORD, tokenOf } from "./support/people.js";
import { seedFindings } from "./support/seed.js";

interface T {
  tenantId: string;
  token: string;
  clusterId: string;
  key: SigningKey;
  findingId: string;
}

let h: Harness;
let a: T;
let b: T;

async function tenant(name: string): Promise<T> {
  const { tenantId, token } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, name);
  const { clusterId, key } = await createCluster(h.app, token, `${name}-prod`);
  expect((await upload(h.app, key, envelope())).status).toBe(202);
  const [findingId = ""] = await seedFindings(h.ctx.ownerPool, tenantId, [
    { clusterId, ruleId: `${name}-rule` },
  ]);
  return { tenantId, token, clusterId, key, findingId };
}

beforeAll(async () => {
  h = await createHarness();
  a = await tenant("alpha");
  b = await tenant("beta");
});
afterAll(async () => {
  await h?.close();
});

describe("a person in two tenants", () => {
  it("never sees A's data while acting in B, and switching moves the session", async () => {
    const m = await join(h.app, a.token, "admin", "both@example.com");
    // the same person accepts B's invitation while signed in: no password needed
    const url = await invite(h.app, b.token, "both@example.com", "viewer");
    const acc = await m.browser.request("POST", "/v1/auth/invitations/accept", {
      json: { token: tokenOf(url) },
    });
    expect(acc.status).toBe(200);
    const me = await m.browser.request<{
      tenant: { id: string };
      role: string;
      tenants: { id: string; role: string }[];
    }>("GET", "/v1/me");
    expect(me.body.tenant.id).toBe(b.tenantId);
    expect(me.body.role).toBe("viewer");
    expect(me.body.tenants.map((t) => [t.id, t.role]).sort()).toEqual(
      [
        [a.tenantId, "admin"],
        [b.tenantId, "viewer"],
      ].sort(),
    );
    for (const path of [`/v1/findings/${a.findingId}`, `/v1/clusters/${a.clusterId}/mesh-coverage`]) {
      expect((await m.browser.request("GET", path)).status, path).toBe(404);
    }
    const list = await m.browser.request("GET", "/v1/findings?status=all");
    expect(list.text).toContain(b.findingId);
    expect(list.text).not.toContain(a.findingId);
    // an admin of A is a viewer in B: B's admin routes refuse them
    expect((await m.browser.request("GET", "/v1/tokens")).status).toBe(403);

    const csrf = (await m.browser.cookie("__Host-bulwark_csrf")) ?? "";
    const sw = await m.browser.request<{ csrfToken: string }>("POST", "/v1/auth/switch-tenant", {
      json: { tenant: a.tenantId },
      headers: { "x-csrf-token": csrf },
    });
    expect(sw.status).toBe(200);
    expect(sw.body.csrfToken).not.toBe(csrf);
    const inA = await m.browser.request("GET", "/v1/findings?status=all");
    expect(inA.text).toContain(a.findingId);
    expect(inA.text).not.toContain(b.findingId);
    expect((await m.browser.request("GET", "/v1/tokens")).status).toBe(200);
  });
});

describe("audit log", () => {
  it("records each write with actor, action, target, outcome, request id and time", async () => {
    const m = await join(h.app, a.token, "editor");
    const res = await m.browser.request<{ id: string }>("POST", "/v1/suppressions", {
      json: {
        selector: { ruleId: "R" },
        reason: "r",
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
      headers: { "x-csrf-token": m.csrf, "x-request-id": "req-audit-1" },
    });
    expect(res.status).toBe(201);
    const denied = await m.browser.request("DELETE", "/v1/tokens/tok_x", {
      headers: { "x-csrf-token": m.csrf },
    });
    expect(denied.status).toBe(403);
    const log = await call<{ items: Record<string, unknown>[] }>(
      h.app,
      "GET",
      `/v1/audit-log?actor=${m.userId}`,
      {
        token: a.token,
      },
    );
    expect(log.body.items).toEqual([
      expect.objectContaining({
        action: "DELETE /v1/tokens/{id}",
        target: "tok_x",
        outcome: "denied",
        status: 403,
        actor: { type: "user", id: m.userId, label: m.email },
      }),
      expect.objectContaining({
        action: "POST /v1/suppressions",
        target: res.body.id,
        outcome: "success",
        status: 201,
        requestId: "req-audit-1",
        at: expect.any(String),
      }),
      expect.objectContaining({
        action: "auth.sign_in",
        outcome: "success",
        details: { method: "invitation" },
      }),
    ]);
    // B's admin sees none of it
    const other = await call(h.app, "GET", `/v1/audit-log?actor=${m.userId}`, { token: b.token });
    expect(other.body).toEqual({ items: [], nextCursor: null });
  });

  it("cannot be altered or deleted by the application role, even within its tenant", async () => {
    const client = await h.ctx.pool.connect();
    try {
      for (const stmt of [
        "update audit_log set action = 'forged'",
        "delete from audit_log",
        "truncate audit_log",
      ]) {
        await client.query("begin");
        await client.query("select set_config('bulwark.tenant_id', $1, true)", [a.tenantId]);
        await expect(client.query(stmt), stmt).rejects.toThrow(/permission denied/);
        await client.query("rollback");
      }
      // and it may append only to its own tenant's log
      await client.query("begin");
      await client.query("select set_config('bulwark.tenant_id', $1, true)", [a.tenantId]);
      await expect(
        client.query(
          "insert into audit_log (tenant_id, actor_type, action, outcome) values ($1, 'user', 'forged', 'success')",
          [b.tenantId],
        ),
      ).rejects.toThrow(/row-level security/);
      await client.query("rollback");
    } finally {
      client.release();
    }
    const purge = await h.ctx.pool.query<{ n: number }>("select bulwark_purge_audit_log('0 seconds') as n");
    expect(purge.rows[0]?.n).toBe(0); // the retention function never deletes entries younger than 30 days
  });
});

describe("the platform operator", () => {
  const admin = () => ({ token: h.ctx.config.ADMIN_TOKEN });

  it("lists tenants with usage, paged", async () => {
    const page = await call<{ items: { id: string; usage: Record<string, number> }[]; nextCursor: string }>(
      h.app,
      "GET",
      "/admin/v1/tenants?limit=1",
      admin(),
    );
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(1);
    const next = await call<{ items: { id: string }[] }>(
      h.app,
      "GET",
      `/admin/v1/tenants?limit=10&cursor=${page.body.nextCursor}`,
      admin(),
    );
    expect(next.body.items.map((t) => t.id)).not.toContain(page.body.items[0]?.id);
    const one = await call<{ usage: Record<string, number> }>(
      h.app,
      "GET",
      `/admin/v1/tenants/${a.tenantId}`,
      admin(),
    );
    expect(one.body.usage).toMatchObject({ clusters: 1, openFindings: 1, reportsLast30Days: 1 });
    expect((await call(h.app, "GET", "/admin/v1/tenants", { token: a.token })).status).toBe(401);
  });

  it("suspends: uploads answer 403 with the reason, nothing is lost; resume accepts them again", async () => {
    const s = await call(h.app, "POST", `/admin/v1/tenants/${b.tenantId}/suspend`, {
      ...admin(),
      body: { reason: "invoice overdue" },
    });
    expect(s.status).toBe(204);
    const refused = await upload<{ detail: string }>(h.app, b.key, envelope());
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain("invoice overdue");
    expect((await call(h.app, "GET", `/v1/findings/${b.findingId}`, { token: b.token })).status).toBe(200);
    expect((await call(h.app, "POST", `/admin/v1/tenants/${b.tenantId}/resume`, admin())).status).toBe(204);
    expect((await upload(h.app, b.key, envelope())).status).toBe(202);
    const log = await call<{ items: { action: string; actor: { type: string } }[] }>(
      h.app,
      "GET",
      "/v1/audit-log?action=POST%20/admin/v1/tenants/{id}/suspend",
      { token: b.token },
    );
    expect(log.body.items[0]?.actor.type).toBe("operator");
  });

  it("creates a tenant with its first owner invited; that owner alone may delete it", async () => {
    const res = await call<{ tenant: { id: string }; token: string; ownerInvitation: { acceptUrl: string } }>(
      h.app,
      "POST",
      "/admin/v1/tenants",
      { ...admin(), body: { name: "delta", ownerEmail: "owner@delta.example" } },
    );
    expect(res.status).toBe(201);
    const br = browserFor(h.app);
    const acc = await br.request<{ role: string; csrfToken: string }>("POST", "/v1/auth/invitations/accept", {
      json: { token: tokenOf(res.body.ownerInvitation.acceptUrl), password: PASSWORD },
    });
    expect(acc.body.role).toBe("owner");
    const id = res.body.tenant.id;
    // the tenant's admin token cannot; the owner must repeat the id
    expect((await call(h.app, "DELETE", `/v1/tenant?confirm=${id}`, { token: res.body.token })).status).toBe(
      403,
    );
    const csrf = { "x-csrf-token": acc.body.csrfToken };
    expect((await br.request("DELETE", "/v1/tenant?confirm=ten_other", { headers: csrf })).status).toBe(400);
    expect((await br.request("DELETE", `/v1/tenant?confirm=${id}`, { headers: csrf })).status).toBe(200);
    expect((await call(h.app, "GET", `/admin/v1/tenants/${id}`, admin())).status).toBe(404);
    expect((await br.request("GET", "/v1/me")).status).toBe(401);
  });
});
