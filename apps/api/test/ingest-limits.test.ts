import { createRedis, createReportQueue } from "@bulwark/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { createCluster, createTenant, envelope, upload } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";

type Problem = { detail: string };
type Accepted = { reportId: string };

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ RATE_LIMIT_CLUSTER_PER_MIN: 2 });
});
afterAll(async () => {
  await h?.close();
});

describe("POST /v1/reports: rate limits and Redis outages", () => {
  it("429 with Retry-After once the cluster is over its limit", async () => {
    const t = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN);
    const { key } = await createCluster(h.app, t.token);
    // stay inside one fixed window: wait out the last seconds of a minute
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 55_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
    expect((await upload(h.app, key, envelope())).status).toBe(202);
    expect((await upload(h.app, key, envelope())).status).toBe(202);
    const third = await upload<Problem>(h.app, key, envelope());
    expect(third.status).toBe(429);
    expect(third.headers.get("content-type")).toBe("application/problem+json");
    expect(third.body.detail).toMatch(/cluster over its limit of 2/);
    const retryAfter = Number(third.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // the limit is per cluster: another cluster of the tenant still uploads
    const { key: other } = await createCluster(h.app, t.token, "other");
    expect((await upload(h.app, other, envelope())).status).toBe(202);
  }, 30_000);

  it("429 once the tenant is over its limit across clusters", async () => {
    const strict = await createHarness({ RATE_LIMIT_TENANT_PER_MIN: 2 });
    try {
      const t = await createTenant(strict.app, strict.ctx.config.ADMIN_TOKEN);
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 55_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
      for (const name of ["a", "b"]) {
        const { key } = await createCluster(strict.app, t.token, name);
        expect((await upload(strict.app, key, envelope())).status).toBe(202);
      }
      const { key } = await createCluster(strict.app, t.token, "c");
      const res = await upload<Problem>(strict.app, key, envelope());
      expect(res.status).toBe(429);
      expect(res.body.detail).toMatch(/tenant over its limit of 2/);
    } finally {
      await strict.close();
    }
  }, 30_000);

  it("still answers 202 when Redis is down: the row is stored queued, for the sweep to enqueue", async () => {
    const { key } = await createCluster(
      h.app,
      (await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "outage")).token,
    );
    const deadRedis = createRedis("redis://127.0.0.1:1", "producer");
    const app = createApp({ ...h.deps, redis: deadRedis, queue: createReportQueue(deadRedis, "unused") });
    try {
      const res = await upload<Accepted>(app, key, envelope({ source: "popeye" }));
      expect(res.status).toBe(202);
      const row = await h.ctx.ownerPool.query("select status from reports where id = $1", [
        res.body.reportId,
      ]);
      expect(row.rows[0]?.status).toBe("queued");
    } finally {
      deadRedis.disconnect();
    }
  });
});
