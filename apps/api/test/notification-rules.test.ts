import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createCluster, createTenant } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";

/**
 * The rules API with the default destination policy (private networks refused). Channel URLs use a public IP
 * literal: nothing here resolves names (no network), and nothing is sent (no worker runs).
 */
const SLACK = "https://93.184.216.34/services/T000/B000/very-secret-path";
const HOOK = "https://93.184.216.34/hooks/bulwark?token=hook-secret-query";
let h: Harness;
let token: string;
let readToken: string;
let other: { token: string };

const rule = (over: Record<string, unknown> = {}) => ({
  name: "platform team, weekday mornings",
  schedule: { cron: "0 8 * * MON-FRI", timezone: "Asia/Tokyo" },
  channel: { type: "email", to: ["secops@example.com"] },
  filters: { clusters: ["prod-eu-1"], namespaces: ["payments-*"], minSeverity: "high" },
  skipUnchanged: true,
  ...over,
});

beforeAll(async () => {
  h = await createHarness(
    { SMTP_URL: "smtp://127.0.0.1:2525", MAIL_FROM: "Bulwark <bulwark@example.com>" },
    { captureLogs: true },
  );
  ({ token } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "acme"));
  await createCluster(h.app, token, "prod-eu-1");
  const t = await call<{ token: string }>(h.app, "POST", "/v1/tokens", {
    token,
    body: { name: "ro", scopes: ["read"] },
  });
  readToken = t.body.token;
  other = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "other");
});
afterAll(async () => {
  await h?.close();
});

describe("POST /v1/notification-rules", () => {
  it("creates the contract's example rule: 201, Location, cluster names stored as ids, the next run in its zone", async () => {
    const res = await call<Record<string, unknown>>(h.app, "POST", "/v1/notification-rules", {
      token,
      body: rule(),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`/v1/notification-rules/${res.body.id}`);
    expect(res.body).toMatchObject({
      name: "platform team, weekday mornings",
      schedule: { cron: "0 8 * * MON-FRI", timezone: "Asia/Tokyo" },
      channel: { type: "email", to: ["secops@example.com"] },
      filters: { namespaces: ["payments-*"], minSeverity: "high" },
      skipUnchanged: true,
      enabled: true,
      instant: null,
      disabledReason: null,
    });
    expect((res.body.filters as { clusters: string[] }).clusters[0]).toMatch(/^cls_/);
    // 08:00 in Tokyo is 23:00 UTC the day before
    expect(res.body.nextRunAt).toMatch(/T23:00:00\.000Z$/);
    expect(res.body.signingSecret).toBeUndefined();
  });

  it("answers URLs and secrets masked, stores them encrypted and never logs them", async () => {
    const slack = await call<Record<string, unknown>>(h.app, "POST", "/v1/notification-rules", {
      token,
      body: rule({ channel: { type: "slack", webhookUrl: SLACK } }),
    });
    expect(slack.status).toBe(201);
    expect(slack.body.channel).toEqual({ type: "slack", webhookUrl: "https://93.184.216.34/****" });
    const hook = await call<Record<string, unknown>>(h.app, "POST", "/v1/notification-rules", {
      token,
      body: rule({ channel: { type: "webhook", url: HOOK } }),
    });
    expect(hook.status).toBe(201);
    expect(hook.body.channel).toEqual({ type: "webhook", url: "https://93.184.216.34/****", secret: "****" });
    expect(hook.body.signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const got = await call<Record<string, unknown>>(h.app, "GET", `/v1/notification-rules/${hook.body.id}`, {
      token,
    });
    expect(got.body.signingSecret).toBeUndefined();
    expect(JSON.stringify(got.body)).not.toContain("hook-secret-query");
    const stored = await h.ctx.ownerPool.query(
      "select channel::text, channel_secret from notification_rules",
    );
    const all = JSON.stringify(stored.rows);
    for (const secret of ["very-secret-path", "hook-secret-query", String(hook.body.signingSecret)]) {
      expect(all).not.toContain(secret);
      expect(h.logs.join("")).not.toContain(secret);
    }
  });

  it.each([
    ["loopback", "https://127.0.0.1/hook"],
    ["loopback by name", "https://localhost/hook"],
    ["link-local (cloud metadata)", "https://169.254.169.254/latest/meta-data"],
    ["private", "https://10.1.2.3/hook"],
    ["IPv6 loopback", "https://[::1]/hook"],
    ["IPv4-mapped IPv6", "https://[::ffff:127.0.0.1]/hook"],
    ["plain http", "http://93.184.216.34/hook"],
  ])("refuses a %s channel URL by default (SSRF), naming the field", async (_label, url) => {
    const res = await call<{ errors: { location: string; message: string }[] }>(
      h.app,
      "POST",
      "/v1/notification-rules",
      {
        token,
        body: rule({ channel: { type: "webhook", url } }),
      },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors[0]?.location).toBe("body.channel.url");
  });

  it.each([
    [{ colour: "red" }, "body.colour"],
    [{ schedule: { cron: "0 8 * *", timezone: "UTC" } }, "body.schedule.cron"],
    [{ schedule: { cron: "* * * * *", timezone: "UTC" } }, "body.schedule.cron"],
    [{ schedule: { cron: "61 8 * * *", timezone: "UTC" } }, "body.schedule.cron"],
    [{ schedule: { cron: "0 8 * * *", timezone: "Mars/Olympus" } }, "body.schedule.timezone"],
    [{ channel: { type: "email", to: ["not-an-address"] } }, "body.channel.to.0"],
    [{ channel: { type: "pager", to: "x" } }, "body.channel.type"],
    [{ filters: { clusters: ["nope"] } }, "body.filters.clusters.0"],
    [{ filters: { severity: "high" } }, "body.filters.severity"],
    [{ filters: { namespaces: ["Bad Namespace"] } }, "body.filters.namespaces.0"],
    [{ instant: { minSeverity: "urgent" } }, "body.instant.minSeverity"],
  ])("refuses %j naming %s", async (over, location) => {
    const res = await call<{ errors: { location: string }[] }>(h.app, "POST", "/v1/notification-rules", {
      token,
      body: rule(over),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.location)).toContain(location);
  });

  it("needs the write scope", async () => {
    const res = await call(h.app, "POST", "/v1/notification-rules", { token: readToken, body: rule() });
    expect(res.status).toBe(403);
  });
});

describe("rules: read, change, delete, send, preview, deliveries", () => {
  it("lists with the read scope, keyset-paged", async () => {
    for (let i = 0; i < 3; i++) {
      await call(h.app, "POST", "/v1/notification-rules", { token, body: rule({ name: `page ${i}` }) });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } =
        await call(h.app, "GET", `/v1/notification-rules?limit=2${cursor ? `&cursor=${cursor}` : ""}`, {
          token: readToken,
        });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((r) => r.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect((await call(h.app, "GET", "/v1/notification-rules?limit=2&sort=name", { token })).status).toBe(
      400,
    );
  });

  it("PATCH changes what is given; disabling and re-enabling", async () => {
    const created = await call<{ id: string }>(h.app, "POST", "/v1/notification-rules", {
      token,
      body: rule(),
    });
    const id = created.body.id;
    const off = await call<Record<string, unknown>>(h.app, "PATCH", `/v1/notification-rules/${id}`, {
      token,
      body: { enabled: false, schedule: { cron: "30 2 * * *", timezone: "Europe/Berlin" } },
    });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({
      enabled: false,
      nextRunAt: null,
      name: "platform team, weekday mornings",
    });
    expect(off.body.schedule).toEqual({ cron: "30 2 * * *", timezone: "Europe/Berlin" });
    const send = await call<{ detail: string }>(h.app, "POST", `/v1/notification-rules/${id}/send`, {
      token,
    });
    expect(send.status).toBe(409);
    const on = await call<Record<string, unknown>>(h.app, "PATCH", `/v1/notification-rules/${id}`, {
      token,
      body: { enabled: true },
    });
    expect(on.body).toMatchObject({ enabled: true, disabledReason: null });
    expect((await call(h.app, "PATCH", `/v1/notification-rules/${id}`, { token, body: {} })).status).toBe(
      400,
    );
    expect(
      (await call(h.app, "PATCH", `/v1/notification-rules/${id}`, { token, body: { cron: "x" } })).status,
    ).toBe(400);
  });

  it("send answers 202 and writes one outbox row; an Idempotency-Key repeats it instead of sending twice", async () => {
    const created = await call<{ id: string }>(h.app, "POST", "/v1/notification-rules", {
      token,
      body: rule(),
    });
    const id = created.body.id;
    const first = await call<Record<string, unknown>>(h.app, "POST", `/v1/notification-rules/${id}/send`, {
      token,
      headers: { "idempotency-key": "press-1" },
    });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: "pending", duplicate: false });
    const again = await call<Record<string, unknown>>(h.app, "POST", `/v1/notification-rules/${id}/send`, {
      token,
      headers: { "idempotency-key": "press-1" },
    });
    expect(again.body).toMatchObject({ deliveryId: first.body.deliveryId, duplicate: true });
    const list = await call<{ items: Record<string, unknown>[] }>(
      h.app,
      "GET",
      `/v1/notification-rules/${id}/deliveries`,
      {
        token: readToken,
      },
    );
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({
      id: first.body.deliveryId,
      kind: "manual",
      status: "pending",
      attempts: 0,
    });
    expect(
      (await call(h.app, "POST", `/v1/notification-rules/${id}/send`, { token: readToken })).status,
    ).toBe(403);
  });

  it("preview answers the three renderings without writing anything", async () => {
    const created = await call<{ id: string }>(h.app, "POST", "/v1/notification-rules", {
      token,
      body: rule(),
    });
    const res = await call<Record<string, Record<string, unknown>>>(
      h.app,
      "GET",
      `/v1/notification-rules/${created.body.id}/preview`,
      { token: readToken },
    );
    expect(res.status).toBe(200);
    expect(res.body.email?.subject).toContain("platform team, weekday mornings");
    expect(res.body.email?.text).toContain("Changes");
    expect(res.body.email?.html).toContain("<h1");
    expect(Array.isArray(res.body.slack?.blocks)).toBe(true);
    expect(res.body.webhook).toMatchObject({ type: "bulwark.summary", deliveryId: "preview" });
    const rows = await h.ctx.ownerPool.query(
      "select count(*)::int as n from notification_deliveries where rule_id = $1",
      [created.body.id],
    );
    expect(rows.rows[0].n).toBe(0);
  });

  it("another tenant's rule answers 404 everywhere", async () => {
    const created = await call<{ id: string }>(h.app, "POST", "/v1/notification-rules", {
      token,
      body: rule(),
    });
    const id = created.body.id;
    for (const [method, path, body] of [
      ["GET", `/v1/notification-rules/${id}`],
      ["PATCH", `/v1/notification-rules/${id}`, { name: "mine now" }],
      ["DELETE", `/v1/notification-rules/${id}`],
      ["POST", `/v1/notification-rules/${id}/send`],
      ["GET", `/v1/notification-rules/${id}/preview`],
      ["GET", `/v1/notification-rules/${id}/deliveries`],
    ] as const) {
      const res = await call(h.app, method, path, { token: other.token, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const list = await call<{ items: unknown[] }>(h.app, "GET", "/v1/notification-rules", {
      token: other.token,
    });
    expect(list.body.items).toEqual([]);
    expect((await call(h.app, "GET", `/v1/notification-rules/${id}`, { token })).status).toBe(200);
  });

  it("DELETE removes the rule and its history", async () => {
    const created = await call<{ id: string }>(h.app, "POST", "/v1/notification-rules", {
      token,
      body: rule(),
    });
    const id = created.body.id;
    await call(h.app, "POST", `/v1/notification-rules/${id}/send`, { token });
    expect((await call(h.app, "DELETE", `/v1/notification-rules/${id}`, { token })).status).toBe(204);
    expect((await call(h.app, "GET", `/v1/notification-rules/${id}`, { token })).status).toBe(404);
    const rows = await h.ctx.ownerPool.query(
      "select count(*)::int as n from notification_deliveries where rule_id = $1",
      [id],
    );
    expect(rows.rows[0].n).toBe(0);
  });

  it("publishes the webhook JSON Schema and lists every route in the OpenAPI document", async () => {
    const schema = await call<Record<string, unknown>>(h.app, "GET", "/schemas/notification-webhook.v1.json");
    expect(schema.status).toBe(200);
    expect(schema.body.$schema).toContain("2020-12");
    const doc = await call<{
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      webhooks: Record<string, unknown>;
    }>(h.app, "GET", "/openapi.json");
    for (const p of [
      "/v1/notification-rules",
      "/v1/notification-rules/{id}",
      "/v1/notification-rules/{id}/send",
      "/v1/notification-rules/{id}/preview",
      "/v1/notification-rules/{id}/deliveries",
    ]) {
      expect(doc.body.paths[p], p).toBeDefined();
    }
    expect(Object.keys(doc.body.paths["/v1/notification-rules/{id}/send"]?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(["202", "401", "403", "404", "409", "500"]),
    );
    expect(doc.body.webhooks.notification).toBeDefined();
  });
});
