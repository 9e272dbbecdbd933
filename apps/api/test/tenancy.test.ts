import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createCluster, createTenant, envelope, type SigningKey, upload } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";
import { browserFor, invite, join, PASSWORD, tokenOf } from "./support/people.js";
import { seedPeople } from "./support/people-fixture.js";
import { seedFindings } from "./support/seed.js";

interface TenantFixture {
  tenantId: string;
  token: string;
  clusterId: string;
  clusterName: string;
  key: SigningKey;
  reportId: string;
  findingId: string;
  suppressionId: string;
  tokenId: string;
  memberId: string;
  ruleId: string;
}

let h: Harness;
let a: TenantFixture;
let b: TenantFixture;
const future = () => new Date(Date.now() + 86_400_000).toISOString();

async function fixture(name: string): Promise<TenantFixture> {
  const { tenantId, token } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, name);
  const clusterName = `${name}-prod`;
  const { clusterId, key } = await createCluster(h.app, token, clusterName);
  const up = await upload<{ reportId: string }>(h.app, key, envelope());
  const [findingId = ""] = await seedFindings(h.ctx.ownerPool, tenantId, [
    { clusterId, ruleId: "SHARED-RULE" },
    { clusterId, ruleId: "GONE-RULE", status: "resolved" },
  ]);
  await h.ctx.ownerPool.query(
    "insert into finding_events (tenant_id, finding_id, report_id, from_status, to_status, at) values ($1, $2, $3, null, 'open', now())",
    [tenantId, findingId, up.body.reportId],
  );
  await h.ctx.ownerPool.query(
    "insert into snapshot_heads (tenant_id, cluster_id, source, scope_key, collected_at, report_id) values ($1, $2, 'kube-bench', '*', now(), $3)",
    [tenantId, clusterId, up.body.reportId],
  );
  await h.ctx.ownerPool.query(
    "insert into mesh_coverage (tenant_id, cluster_id, report_id, collected_at, facts) values ($1, $2, $3, now(), '{}')",
    [tenantId, clusterId, up.body.reportId],
  );
  await h.ctx.ownerPool.query(
    "insert into compliance_reports (tenant_id, cluster_id, framework_id, report_id, collected_at, summary, controls) values ($1, $2, 'cis', $3, now(), '{}', '[]')",
    [tenantId, clusterId, up.body.reportId],
  );
  const sup = await call<{ id: string }>(h.app, "POST", "/v1/suppressions", {
    token,
    body: { selector: { ruleId: "OTHER-RULE" }, reason: "accepted risk", expiresAt: future() },
  });
  await call(h.app, "PUT", "/v1/sla/policy", {
    token,
    body: { days: { critical: 3, high: 10, medium: 30, low: 90 } },
  });
  const tok = await call<{ id: string }>(h.app, "POST", "/v1/tokens", {
    token,
    body: { name: "ci", scopes: ["read"] },
  });
  const member = await seedPeople(h, tenantId, token);
  const rule = await call<{ id: string }>(h.app, "POST", "/v1/notification-rules", {
    token,
    body: {
      name: "digest",
      schedule: { cron: "0 8 * * *", timezone: "UTC" },
      channel: { type: "webhook", url: "https://93.184.216.34/hook" },
    },
  });
  await call(h.app, "POST", `/v1/notification-rules/${rule.body.id}/send`, { token });
  return {
    ruleId: rule.body.id,
    tenantId,
    token,
    clusterId,
    clusterName,
    key,
    reportId: up.body.reportId,
    findingId,
    suppressionId: sup.body.id,
    tokenId: tok.body.id,
    memberId: member.userId,
  };
}

beforeAll(async () => {
  h = await createHarness();
  a = await fixture("alpha");
  b = await fixture("beta");
});
afterAll(async () => {
  await h?.close();
});

async function tenantTables(): Promise<string[]> {
  const r = await h.ctx.ownerPool.query<{ table_name: string }>(
    "select distinct table_name from information_schema.columns where table_schema = 'public' and column_name = 'tenant_id' order by 1",
  );
  return r.rows.map((x) => x.table_name);
}

describe("another tenant's ids answer 404", () => {
  it.each([
    ["POST", () => `/v1/clusters/${b.clusterId}/keys`],
    ["GET", () => `/v1/clusters/${b.clusterId}/keys`],
    ["DELETE", () => `/v1/clusters/${b.clusterId}/keys/${b.key.keyId}`],
    ["DELETE", () => `/v1/clusters/${a.clusterId}/keys/${b.key.keyId}`],
    ["DELETE", () => `/v1/tokens/${b.tokenId}`],
    ["GET", () => `/v1/reports/${b.reportId}`],
    ["GET", () => `/v1/findings/${b.findingId}`],
    ["DELETE", () => `/v1/suppressions/${b.suppressionId}`],
    ["GET", () => `/v1/notification-rules/${b.ruleId}/deliveries`],
    ["DELETE", () => `/v1/notification-rules/${b.ruleId}`],
  ])("%s %s", async (method, path) => {
    const res = await call(h.app, method, path(), { token: a.token });
    expect(res.status).toBe(404);
    expect(res.body.type).toMatch(/not_found$/);
  });

  it("left the other tenant's key, token and suppression intact", async () => {
    expect((await upload(h.app, b.key, envelope())).status).toBe(202);
    const sups = await call<{ items: { id: string }[] }>(h.app, "GET", "/v1/suppressions", {
      token: b.token,
    });
    expect(sups.body.items.map((s) => s.id)).toContain(b.suppressionId);
    const toks = await call<{ items: { id: string; revokedAt: string | null }[] }>(
      h.app,
      "GET",
      "/v1/tokens",
      {
        token: b.token,
      },
    );
    expect(toks.body.items.find((t) => t.id === b.tokenId)?.revokedAt).toBeNull();
  });
});

describe("lists show only the caller's rows", () => {
  it.each([
    ["/v1/clusters", () => a.clusterId, () => b.clusterId],
    ["/v1/tokens", () => a.tokenId, () => b.tokenId],
    ["/v1/reports", () => a.reportId, () => b.reportId],
    ["/v1/findings?status=all", () => a.findingId, () => b.findingId],
    ["/v1/suppressions", () => a.suppressionId, () => b.suppressionId],
  ])("%s", async (path, own, other) => {
    const res = await call(h.app, "GET", path, { token: a.token });
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    expect(text).toContain(own());
    expect(text).not.toContain(other());
    expect(text).not.toContain(b.tenantId);
  });

  it("filters by another tenant's cluster name or id match nothing", async () => {
    for (const cluster of [b.clusterName, b.clusterId]) {
      const f = await call<{ items: unknown[] }>(h.app, "GET", `/v1/findings?status=all&cluster=${cluster}`, {
        token: a.token,
      });
      expect(f.body.items).toEqual([]);
      const r = await call<{ items: unknown[] }>(h.app, "GET", `/v1/reports?cluster=${cluster}`, {
        token: a.token,
      });
      expect(r.body.items).toEqual([]);
    }
  });

  it("another tenant's suppression never suppresses the caller's findings", async () => {
    await call(h.app, "POST", "/v1/suppressions", {
      token: b.token,
      body: { selector: { ruleId: "SHARED-RULE" }, reason: "b's business", expiresAt: future() },
    });
    const res = await call<{ items: { id: string; status: string }[] }>(h.app, "GET", "/v1/findings", {
      token: a.token,
    });
    expect(res.body.items.find((f) => f.id === a.findingId)?.status).toBe("open");
  });

  it("a suppression cannot name another tenant's cluster", async () => {
    const res = await call(h.app, "POST", "/v1/suppressions", {
      token: a.token,
      body: { selector: { cluster: b.clusterId }, reason: "x", expiresAt: future() },
    });
    expect(res.status).toBe(400);
  });
});

describe("row-level security", () => {
  it("bulwark_app with tenant A set sees none of tenant B's rows in any table", async () => {
    const client = await h.ctx.pool.connect();
    try {
      await client.query("begin");
      await client.query("select set_config('bulwark.tenant_id', $1, true)", [a.tenantId]);
      for (const table of await tenantTables()) {
        const other = await client.query(`select count(*)::int as n from ${table} where tenant_id = $1`, [
          b.tenantId,
        ]);
        expect(other.rows[0].n, table).toBe(0);
        const all = await client.query(`select count(*)::int as n from ${table} where tenant_id <> $1`, [
          a.tenantId,
        ]);
        expect(all.rows[0].n, table).toBe(0);
      }
      const tenants = await client.query("select id from tenants");
      expect(tenants.rows).toEqual([{ id: a.tenantId }]);
    } finally {
      await client.query("rollback");
      client.release();
    }
  });

  it("bulwark_app without bulwark.tenant_id sees nothing, though the rows exist", async () => {
    for (const table of [...(await tenantTables()), "tenants"]) {
      const owner = await h.ctx.ownerPool.query(`select count(*)::int as n from ${table}`);
      expect(owner.rows[0].n, table).toBeGreaterThan(0);
      const app = await h.ctx.pool.query(`select count(*)::int as n from ${table}`);
      expect(app.rows[0].n, table).toBe(0);
    }
  });

  it("every table holding tenant_id (and tenants) has RLS enabled and forced", async () => {
    const tables = [...(await tenantTables()), "tenants"];
    expect(tables).toEqual(
      expect.arrayContaining(["clusters", "findings", "reports", "nonces", "suppressions"]),
    );
    const r = await h.ctx.ownerPool.query<{
      relname: string;
      relrowsecurity: boolean;
      relforcerowsecurity: boolean;
    }>(
      "select relname, relrowsecurity, relforcerowsecurity from pg_class where relnamespace = 'public'::regnamespace and relname = any($1)",
      [tables],
    );
    expect(r.rows).toHaveLength(tables.length);
    for (const row of r.rows)
      expect(row, row.relname).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
  });

  it("bulwark_app owns no table, is not superuser and cannot bypass RLS; the app pool runs as it", async () => {
    const role = await h.ctx.ownerPool.query(
      "select rolsuper, rolbypassrls from pg_roles where rolname = 'bulwark_app'",
    );
    expect(role.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
    const owned = await h.ctx.ownerPool.query(
      "select count(*)::int as n from pg_class c join pg_roles r on r.oid = c.relowner where r.rolname = 'bulwark_app'",
    );
    expect(owned.rows[0].n).toBe(0);
    const current = await h.ctx.pool.query("select current_user");
    expect(current.rows[0].current_user).toBe("bulwark_app");
  });
});

describe("deleting a tenant", () => {
  it("removes its rows from every table holding tenant_id, and nothing of the others'", async () => {
    const g = await fixture("gamma");
    const admin = { token: h.ctx.config.ADMIN_TOKEN };
    // a person in gamma and alpha stays (still alpha's); gamma's own member goes
    const shared = await join(h.app, g.token, "viewer", "shared@example.com");
    const url = await invite(h.app, a.token, "shared@example.com", "viewer");
    await browserFor(h.app).request("POST", "/v1/auth/invitations/accept", {
      json: { token: tokenOf(url), password: PASSWORD },
    });
    const tables = await tenantTables();
    const count = async (t: string, id: string) =>
      (await h.ctx.ownerPool.query(`select count(*)::int as n from ${t} where tenant_id = $1`, [id])).rows[0]
        .n;
    for (const t of tables) expect(await count(t, g.tenantId), `${t} seeded`).toBeGreaterThan(0);
    const before = new Map(
      await Promise.all(tables.map(async (t) => [t, await count(t, a.tenantId)] as const)),
    );

    const res = await call(h.app, "DELETE", `/admin/v1/tenants/${g.tenantId}`, admin);
    expect(res.status).toBe(200);
    for (const t of tables) expect(await count(t, g.tenantId), t).toBe(0);
    for (const t of tables) expect(await count(t, a.tenantId), `${t} of alpha`).toBe(before.get(t));
    const gone = await h.ctx.ownerPool.query("select id from tenants where id = $1", [g.tenantId]);
    expect(gone.rows).toEqual([]);
    const users = await h.ctx.ownerPool.query("select id from users where id = any($1)", [
      [g.memberId, shared.userId],
    ]);
    expect(users.rows.map((r) => r.id)).toEqual([shared.userId]);
    expect((await call(h.app, "GET", "/v1/clusters", { token: g.token })).status).toBe(401);
    expect((await upload(h.app, g.key, envelope())).status).toBe(401);
    expect((await call(h.app, "DELETE", `/admin/v1/tenants/${g.tenantId}`, admin)).status).toBe(404);
  });
});
