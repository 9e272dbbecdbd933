import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createCluster, createTenant, envelope, type SigningKey, upload } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";
import { seedFindings } from "./support/seed.js";

let h: Harness;
let token: string;
let key: SigningKey;
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

beforeAll(async () => {
  h = await createHarness({}, { captureLogs: true });
  const t = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN);
  token = t.token;
  const c = await createCluster(h.app, token);
  key = c.key;
  await seedFindings(
    h.ctx.ownerPool,
    t.tenantId,
    Array.from({ length: 3 }, () => ({ clusterId: c.clusterId })),
  );
});
afterAll(async () => {
  await h?.close();
});

function expectBadParam(res: { status: number; body: Record<string, unknown> }, location: string) {
  expect(res.status).toBe(400);
  expect(res.body.type).toMatch(/validation_failed$/);
  const errors = res.body.errors as { location: string }[];
  expect(errors.map((e) => e.location)).toContain(location);
}

describe("input hygiene: bad bytes get 400 naming the parameter, never 500 or 503", () => {
  it.each([
    ["/v1/findings?namespace=web%00x", "query.namespace"],
    ["/v1/findings?q=%00", "query.q"],
    ["/v1/findings?cluster=a%00", "query.cluster"],
    ["/v1/reports?cluster=x%00y", "query.cluster"],
    ["/v1/posture?cluster=%00", "query.cluster"],
    ["/v1/findings?x%00=1", "query.x\\0"],
    ["/v1/findings?namespace=%E0%A4%A", "query.namespace"],
    ["/v1/findings/fnd_%00", "path"],
  ])("GET %s", async (path, location) => {
    expectBadParam(await call(h.app, "GET", path, { token }), location);
  });

  it.each([
    ["since year 0", "/v1/findings?since=0000-01-01T00:00:00Z", "query.since"],
    ["since Feb 30", "/v1/findings?since=2026-02-30T00:00:00Z", "query.since"],
  ])("rejects an impossible date: %s", async (_, path, location) => {
    expectBadParam(await call(h.app, "GET", path, { token }), location);
  });

  it.each([
    ["an impossible month", [1, "2026-13-45T00:00:00.000000Z", "fnd_x"]],
    ["year 0", [1, "0000-01-01T00:00:00.000000Z", "fnd_x"]],
    ["a NUL in the id", [1, "2026-01-01T00:00:00.000000Z", "fnd_\u0000"]],
    ["not a tuple", { a: 1 }],
  ])("rejects a forged findings cursor holding %s", async (_, cursor) => {
    expectBadParam(await call(h.app, "GET", `/v1/findings?cursor=${b64(cursor)}`, { token }), "query.cursor");
  });

  it("rejects a forged reports cursor with an impossible date", async () => {
    const res = await call(
      h.app,
      "GET",
      `/v1/reports?cursor=${b64(["2026-02-31T00:00:00.000000Z", "rpt_x"])}`,
      {
        token,
      },
    );
    expectBadParam(res, "query.cursor");
  });

  it("rejects a NUL in a JSON body field, naming it", async () => {
    const res = await call(h.app, "POST", "/v1/clusters", { token, body: { name: "prod\u0000eu" } });
    expectBadParam(res, "body.name");
    const s = await call(h.app, "POST", "/v1/suppressions", {
      token,
      body: {
        selector: { ruleId: "CVE-1" },
        reason: "ok\u0000",
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    expectBadParam(s, "body.reason");
  });

  it.each([
    ["runId", { runId: "run\u0000" }, "body.runId"],
    ["tool.name", { tool: { name: "kube\u0000bench" } }, "body.tool.name"],
    [
      "manifest reason",
      { manifest: [{ resource: "pods", kind: "Pod", status: "failed", reason: "x\u0000" }] },
      "body.manifest.0.reason",
    ],
    ["collectedAt Feb 30", { collectedAt: "2026-02-30T10:00:00Z" }, "body.collectedAt"],
  ])(
    "an upload whose envelope %s holds bad bytes gets 400, not a retryable 503",
    async (_, over, location) => {
      for (const gzip of [false, true]) {
        const res = await upload(h.app, key, envelope(over), { gzip });
        expectBadParam(res, location);
        expect(res.headers.get("retry-after")).toBeNull();
      }
    },
  );

  it("accepts a NUL inside the report itself (stored as sent; the worker strips it from what it writes)", async () => {
    const res = await upload(h.app, key, envelope({ report: { Controls: [], note: "a\u0000b" } }));
    expect(res.status).toBe(202);
  });

  it("never logs report content, a token or a statement's parameters", async () => {
    const marker = "SECRET-MARKER-7f3a";
    await upload(h.app, key, envelope({ runId: `${marker}\u0000` }));
    await call(h.app, "GET", `/v1/findings?namespace=${marker}%00`, { token });
    const all = h.logs.join("\n");
    expect(all).not.toContain(marker);
    expect(all).not.toContain(token);
    expect(all).not.toContain(key.secret);
  });
});
