import { readFileSync } from "node:fs";
import { createLogger, createReportQueue, payloadKey, type ReportQueue } from "@bulwark/runtime";
import { normalizeReport, sweep } from "@bulwark/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCluster, createTenant, type SigningKey, upload } from "../../apps/api/test/support/client.js";
import { createHarness, type Harness } from "../../apps/api/test/support/harness.js";
import { LOCAL_S3_CONFIG, type LocalS3, startLocalS3 } from "../support/s3.js";

const sample = JSON.parse(readFileSync(new URL("../../samples/trivy-k8s.json", import.meta.url), "utf8"));
const logger = createLogger("silent");

let s3: LocalS3;
let h: Harness;
let queue: ReportQueue;
let tenantId: string;
let keys: SigningKey[];

beforeAll(async () => {
  s3 = await startLocalS3();
  h = await createHarness({ OBJECT_STORE_URL: s3.url, ...LOCAL_S3_CONFIG });
  queue = createReportQueue(h.ctx.redis, h.ctx.config.QUEUE_PREFIX);
  const t = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN);
  tenantId = t.tenantId;
  keys = [
    (await createCluster(h.app, t.token, "objects-a")).key,
    (await createCluster(h.app, t.token, "objects-b")).key,
  ];
});
afterAll(async () => {
  await queue?.close();
  await h?.close();
  await s3?.close();
});

type Accepted = { reportId: string; status: string; duplicate: boolean };

const trivy = (collectedAt: Date) => ({
  schemaVersion: 1,
  source: "trivy",
  collectedAt: collectedAt.toISOString(),
  report: sample,
});

async function row(reportId: string) {
  const r = await h.ctx.ownerPool.query(
    `select payload is null as no_bytea, payload_key, payload_stored_bytes, body_sha256, payload_purged_at, status
     from reports where id = $1`,
    [reportId],
  );
  return r.rows[0];
}

const normalize = (reportId: string) =>
  normalizeReport({ pool: h.ctx.pool, logger, objectStore: s3.store }, { tenantId, reportId });

const ageReports = (ids: string[], days: number) =>
  h.ctx.ownerPool.query(
    "update reports set received_at = now() - make_interval(days => $2) where id = any($1)",
    [ids, days],
  );

const runSweep = () => sweep({ pool: h.ctx.pool, queue, logger, retentionDays: 30, objectStore: s3.store });

describe("raw payloads in an S3-compatible object store (s3rver)", () => {
  it("stores the gzip payload as an object, the row holds key, size and hash; the worker reads it", async () => {
    const env = trivy(new Date(Date.now() - 120_000));
    const res = await upload<Accepted>(h.app, keys[0] as SigningKey, env, { gzip: true });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const r = await row(res.body.reportId);
    expect(r.no_bytea).toBe(true);
    expect(r.payload_key).toBe(payloadKey(tenantId, r.body_sha256));
    expect(await s3.keys()).toContain(r.payload_key);
    expect(r.payload_stored_bytes).toBe(await s3.store.head(r.payload_key));

    const out = await normalize(res.body.reportId);
    expect(out.outcome).toBe("done");
    expect(out.findings).toBeGreaterThan(0);
  });

  it("stores identical bodies once, and retention deletes the object only when no report needs it", async () => {
    const env = trivy(new Date(Date.now() - 60_000));
    // the same body from two clusters: two reports, one object
    const a = await upload<Accepted>(h.app, keys[0] as SigningKey, env, { gzip: true });
    const b = await upload<Accepted>(h.app, keys[1] as SigningKey, env, { gzip: true });
    expect(a.body.duplicate).toBe(false);
    expect(b.body.duplicate).toBe(false);
    const ra = await row(a.body.reportId);
    const rb = await row(b.body.reportId);
    expect(rb.payload_key).toBe(ra.payload_key);
    const key = ra.payload_key as string;
    expect((await s3.keys()).filter((k) => k === key)).toHaveLength(1);
    expect((await normalize(a.body.reportId)).outcome).toBe("done");
    expect((await normalize(b.body.reportId)).outcome).toBe("done");

    // one report past retention: released, but the object stays for the other
    await ageReports([a.body.reportId], 40);
    await runSweep();
    expect((await row(a.body.reportId)).payload_key).toBeNull();
    expect((await row(a.body.reportId)).payload_purged_at).not.toBeNull();
    expect(await s3.keys()).toContain(key);

    // both past retention: the object goes
    await ageReports([b.body.reportId], 40);
    const swept = await runSweep();
    expect(swept.payloadsPurged).toBeGreaterThanOrEqual(1);
    expect(await s3.keys()).not.toContain(key);
    expect((await row(b.body.reportId)).payload_key).toBeNull();
  });

  it("a report whose object retention removed fails readably when run again", async () => {
    const env = trivy(new Date(Date.now() - 30_000));
    const res = await upload<Accepted>(h.app, keys[1] as SigningKey, env, { gzip: true });
    const r = await row(res.body.reportId);
    await s3.store.delete(r.payload_key);
    const out = await normalize(res.body.reportId);
    expect(out.outcome).toBe("failed");
    const failed = await h.ctx.ownerPool.query("select error from reports where id = $1", [
      res.body.reportId,
    ]);
    expect(failed.rows[0].error).toMatch(/no longer stored/);
  });

  it("answers 503 and stores nothing when the object store is down", async () => {
    const down = await createHarness({
      OBJECT_STORE_URL: "http://127.0.0.1:9/bulwark-test",
      ...LOCAL_S3_CONFIG,
    });
    try {
      const t = await createTenant(down.app, down.ctx.config.ADMIN_TOKEN);
      const { key } = await createCluster(down.app, t.token, "down");
      const res = await upload<{ detail: string }>(down.app, key, trivy(new Date(Date.now() - 10_000)));
      expect(res.status).toBe(503);
      expect(res.body.detail).toMatch(/object store/);
      const n = await down.ctx.ownerPool.query("select count(*)::int as n from reports");
      expect(n.rows[0].n).toBe(0);
    } finally {
      await down.close();
    }
  });
});
