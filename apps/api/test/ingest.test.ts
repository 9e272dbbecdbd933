import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signRequest } from "../../collector/src/signing.js";
import { call, createCluster, createTenant, envelope, type SigningKey, upload } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";
import { byteStream, gzipOfRepeated, nestedEnvelope } from "./support/payloads.js";

const MiB = 1024 * 1024;
let h: Harness;
let token: string;
let key: SigningKey;
let clusterId: string;

beforeAll(async () => {
  h = await createHarness();
  const t = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN);
  token = t.token;
  ({ key, clusterId } = await createCluster(h.app, token));
});
afterAll(async () => {
  await h?.close();
});

type Accepted = { reportId: string; status: string; duplicate: boolean };
type Problem = {
  type: string;
  status: number;
  detail: string;
  requestId: string;
  errors?: { location: string }[];
};

describe("POST /v1/reports: accepted uploads", () => {
  it("stores the report, enqueues its job and answers 202 with Location", async () => {
    const env = envelope({
      scope: { namespaces: ["web", "payments"] },
      runId: "run-1",
      tool: { name: "kube-bench" },
    });
    const res = await upload<Accepted>(h.app, key, env);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: "queued", duplicate: false });
    expect(res.headers.get("location")).toBe(`/v1/reports/${res.body.reportId}`);
    const row = await h.ctx.ownerPool.query(
      "select tenant_id, cluster_id, source, status, scope_key, run_id, payload_bytes from reports where id = $1",
      [res.body.reportId],
    );
    expect(row.rows[0]).toMatchObject({
      cluster_id: clusterId,
      source: "kube-bench",
      status: "queued",
      scope_key: "ns:payments,web",
      run_id: "run-1",
      payload_bytes: Buffer.byteLength(JSON.stringify(env)),
    });
    const job = await h.deps.queue.getJob(`report-${res.body.reportId}`);
    expect(job?.data).toEqual({ tenantId: row.rows[0].tenant_id, reportId: res.body.reportId });
  });

  it("answers 200 duplicate with the earlier id for the same body", async () => {
    const env = envelope();
    const first = await upload<Accepted>(h.app, key, env);
    const again = await upload<Accepted>(h.app, key, env, { gzip: true });
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ reportId: first.body.reportId, status: "queued", duplicate: true });
  });

  it("accepts gzip and keeps the uploaded gzip bytes", async () => {
    const env = envelope({ source: "polaris" });
    const res = await upload<Accepted>(h.app, key, env, { gzip: true });
    expect(res.status).toBe(202);
    const row = await h.ctx.ownerPool.query("select payload from reports where id = $1", [res.body.reportId]);
    expect(row.rows[0].payload.equals(gzipSync(Buffer.from(JSON.stringify(env))))).toBe(true);
  });

  it("accepts a charset parameter and a signed query string", async () => {
    const res = await upload(h.app, key, envelope(), {
      path: "/v1/reports?cluster=ignored",
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    expect(res.status).toBe(202);
  });

  it("accepts JSON nested exactly 64 deep", async () => {
    expect((await upload(h.app, key, nestedEnvelope(64))).status).toBe(202);
  });

  it("counts outcomes in /metrics", async () => {
    const text = await (await h.app.request("/metrics")).text();
    expect(text).toMatch(/bulwark_reports_ingested_total\{source="kube-bench",outcome="accepted"\} \d+/);
    expect(text).toMatch(/bulwark_reports_ingested_total\{source="kube-bench",outcome="duplicate"\} 1/);
  });
});

describe("POST /v1/reports: signing (401)", () => {
  async function expect401(res: { status: number; body: Problem }, detail: RegExp) {
    expect(res.status).toBe(401);
    expect(res.body.type).toMatch(/signature_invalid$/);
    expect(res.body.detail).toMatch(detail);
    expect(JSON.stringify(res.body)).not.toContain(key.secret);
  }

  it("rejects a wrong signature", async () => {
    await expect401(
      await upload<Problem>(h.app, key, envelope(), { secret: "bws_wrong" }),
      /signature mismatch/,
    );
  });

  it("rejects a signature made for another path", async () => {
    const body = Buffer.from(JSON.stringify(envelope()));
    const signed = signRequest({ method: "POST", path: "/v1/reports", body, ...key });
    const res = await h.app.request("/v1/reports?x=1", {
      method: "POST",
      headers: { "content-type": "application/json", ...signed },
      body,
    });
    await expect401({ status: res.status, body: (await res.json()) as Problem }, /signature mismatch/);
  });

  it("rejects a stale and a future timestamp", async () => {
    const now = Math.floor(Date.now() / 1000);
    await expect401(await upload<Problem>(h.app, key, envelope(), { timestamp: now - 301 }), /server clock/);
    await expect401(await upload<Problem>(h.app, key, envelope(), { timestamp: now + 301 }), /server clock/);
  });

  it("rejects a replayed nonce, even for an identical request", async () => {
    const env = envelope();
    const nonce = "replay-nonce-0123456789";
    expect((await upload(h.app, key, env, { nonce })).status).toBe(202);
    await expect401(await upload<Problem>(h.app, key, env, { nonce }), /replay/);
  });

  it("rejects malformed nonces", async () => {
    await expect401(await upload<Problem>(h.app, key, envelope(), { nonce: "short" }), /X-Bulwark-Nonce/);
    await expect401(
      await upload<Problem>(h.app, key, envelope(), { nonce: "has spaces in it 12345" }),
      /Nonce/,
    );
    await expect401(await upload<Problem>(h.app, key, envelope(), { nonce: "x".repeat(65) }), /Nonce/);
  });

  it("rejects an unknown key", async () => {
    await expect401(
      await upload<Problem>(h.app, key, envelope(), { keyId: "key_doesnotexist000000" }),
      /unknown/,
    );
  });

  it("rejects missing and malformed headers", async () => {
    await expect401(
      await upload<Problem>(h.app, key, envelope(), { omit: ["X-Bulwark-Signature", "X-Bulwark-Nonce"] }),
      /missing.*X-Bulwark-Nonce, X-Bulwark-Signature/,
    );
    await expect401(
      await upload<Problem>(h.app, key, envelope(), { headers: { "X-Bulwark-Signature": "sha256=abc" } }),
      /X-Bulwark-Signature/,
    );
  });

  it("rejects a revoked key while the cluster's other key keeps working (rotation)", async () => {
    const second = await call<SigningKey>(h.app, "POST", `/v1/clusters/${clusterId}/keys`, { token });
    expect(second.status).toBe(201);
    const { key: old, clusterId: cid } = await createCluster(h.app, token, "rotating");
    const fresh = await call<SigningKey>(h.app, "POST", `/v1/clusters/${cid}/keys`, { token });
    expect((await call(h.app, "DELETE", `/v1/clusters/${cid}/keys/${old.keyId}`, { token })).status).toBe(
      204,
    );
    await expect401(await upload<Problem>(h.app, old, envelope()), /revoked/);
    expect((await upload(h.app, fresh.body, envelope())).status).toBe(202);
  });
});

describe("POST /v1/reports: media type, size and shape", () => {
  it("415 for another content type or encoding", async () => {
    const wrongType = await upload<Problem>(h.app, key, envelope(), {
      headers: { "content-type": "text/plain" },
    });
    expect(wrongType.status).toBe(415);
    expect(wrongType.headers.get("content-type")).toBe("application/problem+json");
    const br = await upload<Problem>(h.app, key, envelope(), { headers: { "content-encoding": "br" } });
    expect(br.status).toBe(415);
    expect(br.body.detail).toMatch(/Content-Encoding/);
  });

  it("413 for a declared Content-Length over 32 MiB, before reading", async () => {
    const res = await upload<Problem>(h.app, key, Buffer.from("{}"), {
      headers: { "content-length": String(32 * MiB + 1) },
    });
    expect(res.status).toBe(413);
  });

  it("413 for more than 32 MiB on the wire without Content-Length", async () => {
    const signed = signRequest({ method: "POST", path: "/v1/reports", body: Buffer.alloc(0), ...key });
    const req = new Request("http://localhost/v1/reports", {
      method: "POST",
      headers: { "content-type": "application/json", ...signed },
      body: byteStream(32 * MiB + 1),
      duplex: "half",
    } as RequestInit);
    const res = await h.app.request(req);
    expect(res.status).toBe(413);
    expect(((await res.json()) as Problem).detail).toMatch(/32 MiB/);
  });

  it("413 for a decompression bomb (over 256 MiB once decompressed)", async () => {
    const bomb = await gzipOfRepeated(257 * MiB);
    expect(bomb.length).toBeLessThan(2 * MiB);
    const res = await upload<Problem>(h.app, key, bomb, { headers: { "content-encoding": "gzip" } });
    expect(res.status).toBe(413);
    expect(res.body.detail).toBe("decompressed body over 256 MiB");
  }, 60_000);

  it("413 for JSON nested 65 deep", async () => {
    const res = await upload<Problem>(h.app, key, nestedEnvelope(65));
    expect(res.status).toBe(413);
    expect(res.body.detail).toMatch(/deeper than 64/);
  });

  it("400 for a body that is not JSON, or not gzip when it says so", async () => {
    const notJson = await upload<Problem>(h.app, key, Buffer.from("{not json"));
    expect(notJson.status).toBe(400);
    expect(notJson.body.detail).toMatch(/^body is not JSON/);
    const notGzip = await upload<Problem>(h.app, key, Buffer.from("{}"), {
      headers: { "content-encoding": "gzip" },
    });
    expect(notGzip.status).toBe(400);
  });

  it("400 listing every bad envelope field", async () => {
    const res = await upload<Problem>(h.app, key, {
      schemaVersion: 2,
      source: "nessus",
      collectedAt: "yesterday",
      report: 5,
      tool: { version: "1" },
    });
    expect(res.status).toBe(400);
    const locations = res.body.errors?.map((e) => e.location) ?? [];
    expect(locations).toEqual(
      expect.arrayContaining([
        "body.schemaVersion",
        "body.source",
        "body.collectedAt",
        "body.report",
        "body.tool.name",
      ]),
    );
  });

  it("400 for collectedAt in the future", async () => {
    const res = await upload<Problem>(
      h.app,
      key,
      envelope({ collectedAt: new Date(Date.now() + 3600_000).toISOString() }),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.location).toBe("body.collectedAt");
  });
});
