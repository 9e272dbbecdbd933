import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FairLimiter, LimitRefused } from "../src/fairness/limiter.js";
import { call, createCluster, createTenant } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";

let h: Harness;
let noisy: string;
let quiet: string;

beforeAll(async () => {
  h = await createHarness({ TENANT_QUERY_CONCURRENCY: 2, QUERY_CONCURRENCY: 4, QUERY_TIMEOUT_MS: 1_500 });
  noisy = (await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "noisy")).token;
  quiet = (await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "quiet")).token;
  await createCluster(h.app, quiet, "quiet-1");
});
afterAll(async () => {
  await h?.close();
});

/** Hold an exclusive lock on findings: every query reading it waits, as a very expensive one would. */
async function lockFindings(): Promise<pg.PoolClient> {
  const client = await h.ctx.ownerPool.connect();
  await client.query("BEGIN");
  await client.query("LOCK TABLE findings IN ACCESS EXCLUSIVE MODE");
  return client;
}

async function unlock(client: pg.PoolClient): Promise<void> {
  await client.query("ROLLBACK");
  client.release();
}

describe("fair sharing between tenants", () => {
  it("a tenant over its concurrency limit gets 429 with Retry-After; another tenant is served meanwhile", async () => {
    const lock = await lockFindings();
    let noisyResults: { status: number; headers: Headers }[] = [];
    try {
      // six slow list queries at once from one tenant: two run, four are refused at once
      const pending = Array.from({ length: 6 }, () => call(h.app, "GET", "/v1/findings", { token: noisy }));
      await new Promise((r) => setTimeout(r, 200));
      const started = performance.now();
      const own = await call(h.app, "GET", "/v1/clusters", { token: quiet });
      const tookMs = performance.now() - started;
      expect(own.status).toBe(200);
      expect(tookMs).toBeLessThan(1_000);
      await unlock(lock);
      noisyResults = await Promise.all(pending);
    } finally {
      await lock.query("ROLLBACK").catch(() => {});
    }
    const statuses = noisyResults.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    const refused = noisyResults.find((r) => r.status === 429);
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("a query past the statement timeout is cancelled and answered 504, not a retryable 503", async () => {
    const lock = await lockFindings();
    try {
      const res = await call(h.app, "GET", "/v1/findings", { token: noisy });
      expect(res.status).toBe(504);
      expect(res.body.type).toMatch(/timeout$/);
      expect(res.headers.get("retry-after")).toBeNull();
    } finally {
      await unlock(lock);
    }
    // the connection went back to the pool healthy: the next query is served
    expect((await call(h.app, "GET", "/v1/findings", { token: noisy })).status).toBe(200);
  });
});

describe("FairLimiter", () => {
  it("hands a freed slot to the waiting tenant with the fewest running, and times waiters out", async () => {
    const l = new FairLimiter({ perTenant: 3, total: 3, waitMs: 200 });
    const a1 = await l.acquire("a");
    const a2 = await l.acquire("a");
    const b1 = await l.acquire("b");
    const order: string[] = [];
    const waitA = l.acquire("a").then((r) => {
      order.push("a");
      return r;
    });
    const waitB = l.acquire("b").then((r) => {
      order.push("b");
      return r;
    });
    b1(); // a runs two, b none: the freed slot goes to b although a asked first
    const first = await Promise.race([waitA, waitB]);
    expect(order).toEqual(["b"]);
    first();
    (await waitA)();
    a1();
    a2();
    expect(l.stats()).toEqual({ running: 0, waiting: 0 });
    // a tenant at its limit (running + waiting) is refused at once; a full server makes waiters time out
    const held = await Promise.all([l.acquire("c"), l.acquire("c"), l.acquire("c")]);
    await expect(l.acquire("c")).rejects.toMatchObject({ reason: "tenant" });
    const waited = l.acquire("d");
    await expect(waited).rejects.toBeInstanceOf(LimitRefused);
    await expect(waited).rejects.toMatchObject({ reason: "busy" });
    for (const r of held) r();
  });
});
