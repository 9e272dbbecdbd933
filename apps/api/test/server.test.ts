import { createLogger } from "@bulwark/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../test/support/context.js";
import { uploadReport } from "../../collector/src/upload.js";
import { createDeps, type RunningApi, startApi } from "../src/server.js";

let ctx: TestContext;
let api: RunningApi;
beforeAll(async () => {
  ctx = await createTestContext();
  api = await startApi(ctx.config, createLogger("silent"));
});
afterAll(async () => {
  await api?.close();
  await ctx?.close();
});

async function post(path: string, body: unknown, auth: string) {
  const res = await fetch(new URL(path, api.url), {
    method: "POST",
    headers: { authorization: `Bearer ${auth}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
}

describe("startApi over real HTTP", () => {
  it("serves the collector's signed uploads, gzip and plain", async () => {
    const tenant = (await post("/admin/v1/tenants", { name: "http" }, ctx.config.ADMIN_TOKEN)) as {
      token: string;
    };
    const cluster = (await post("/v1/clusters", { name: "c1" }, tenant.token)) as {
      key: { keyId: string; secret: string };
    };
    const envelope = { schemaVersion: 1, source: "trivy", collectedAt: new Date().toISOString(), report: {} };
    const res = await uploadReport(envelope, { baseUrl: api.url, ...cluster.key });
    expect(res.status).toBe(202);
    expect(res.headers.get("location")).toMatch(/^\/v1\/reports\/rpt_/);
    const again = await uploadReport(envelope, { baseUrl: api.url, ...cluster.key, gzip: false });
    expect(again.status).toBe(200);
  });

  it("close() stops the server and releases its clients", async () => {
    const other = await startApi({ ...ctx.config, PORT: 0 }, createLogger("silent"));
    expect((await fetch(new URL("/healthz", other.url))).status).toBe(200);
    await other.close();
    await expect(fetch(new URL("/healthz", other.url))).rejects.toThrow();
  });
});

describe("the API's database pool", () => {
  it("runs as the application role with JIT off (compiling a page's query cost more than running it)", async () => {
    const deps = createDeps(ctx.config, createLogger("silent"));
    try {
      const { rows } = await deps.pool.query<{ role: string; jit: string }>(
        "select current_user as role, current_setting('jit') as jit",
      );
      expect(rows[0]).toEqual({ role: "bulwark_app", jit: "off" });
    } finally {
      await deps.queue.close();
      deps.redis.disconnect();
      await deps.pool.end();
    }
  });
});
