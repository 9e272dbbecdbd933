import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createCluster, createTenant } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";

type Problem = { status: number; errors?: { location: string; message: string }[] };
type Suppression = {
  id: string;
  selector: Record<string, string | null>;
  active: boolean;
  createdBy: string;
};

let h: Harness;
let token: string;
let clusterId: string;
const inHours = (n: number) => new Date(Date.now() + n * 3600_000).toISOString();

beforeAll(async () => {
  h = await createHarness();
  ({ token } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN));
  ({ clusterId } = await createCluster(h.app, token, "prod"));
});
afterAll(async () => {
  await h?.close();
});

describe("suppressions", () => {
  it("creates (cluster by name, stored as id), lists and deletes", async () => {
    const res = await call<Suppression>(h.app, "POST", "/v1/suppressions", {
      token,
      body: { selector: { cluster: "prod", ruleId: "KSV001" }, reason: "accepted", expiresAt: inHours(24) },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^sup_/),
      selector: {
        cluster: clusterId,
        ruleId: "KSV001",
        namespace: null,
        kind: null,
        name: null,
        fingerprint: null,
      },
      reason: "accepted",
      active: true,
      createdBy: expect.stringMatching(/^tok_/),
    });
    const listed = await call<{ items: Suppression[] }>(h.app, "GET", "/v1/suppressions", { token });
    expect(listed.body.items.map((s) => s.id)).toContain(res.body.id);
    expect((await call(h.app, "DELETE", `/v1/suppressions/${res.body.id}`, { token })).status).toBe(204);
    expect((await call(h.app, "DELETE", `/v1/suppressions/${res.body.id}`, { token })).status).toBe(404);
  });

  it("lists expired suppressions only when asked", async () => {
    const { tenantId, token: t } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "expired");
    await h.ctx.ownerPool.query(
      "insert into suppressions (id, tenant_id, rule_id, reason, expires_at) values ('sup_old', $1, 'R', 'old', now() - interval '1 day')",
      [tenantId],
    );
    expect(
      (await call<{ items: unknown[] }>(h.app, "GET", "/v1/suppressions", { token: t })).body.items,
    ).toEqual([]);
    const all = await call<{ items: Suppression[] }>(h.app, "GET", "/v1/suppressions?includeExpired=true", {
      token: t,
    });
    expect(all.body.items).toMatchObject([{ id: "sup_old", active: false }]);
  });

  it.each([
    [{ selector: {}, reason: "r", expiresAt: inHours(1) }, "body.selector"],
    [{ selector: { ruleId: "x" }, expiresAt: inHours(1) }, "body.reason"],
    [{ selector: { ruleId: "x" }, reason: "r" }, "body.expiresAt"],
    [{ selector: { ruleId: "x" }, reason: "r", expiresAt: inHours(-1) }, "body.expiresAt"],
    [{ selector: { ruleId: "x" }, reason: "r", expiresAt: inHours(24 * 366) }, "body.expiresAt"],
    [{ selector: { ruleId: "x", team: "y" }, reason: "r", expiresAt: inHours(1) }, "body.selector.team"],
    [{ selector: { cluster: "nope" }, reason: "r", expiresAt: inHours(1) }, "body.selector.cluster"],
  ])("400 for %j", async (body, location) => {
    const res = await call<Problem>(h.app, "POST", "/v1/suppressions", { token, body });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.location)).toContain(location);
  });
});

describe("suppression paging", () => {
  it("walks every suppression newest first with a cursor, no repeats or gaps", async () => {
    const t = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "many-suppressions");
    const created: string[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await call<Suppression>(h.app, "POST", "/v1/suppressions", {
        token: t.token,
        body: { selector: { ruleId: `RULE-${i}` }, reason: "accepted", expiresAt: inHours(24) },
      });
      created.push(res.body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { items: Suppression[]; nextCursor: string | null } } = await call(
        h.app,
        "GET",
        `/v1/suppressions?limit=3${cursor ? `&cursor=${cursor}` : ""}`,
        { token: t.token },
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((s) => s.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...created].reverse());
    const bad = await call<Problem>(h.app, "GET", "/v1/suppressions?cursor=nonsense", { token: t.token });
    expect(bad.status).toBe(400);
  });
});
