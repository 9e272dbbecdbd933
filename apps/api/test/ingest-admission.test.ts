import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signRequest } from "../../collector/src/signing.js";
import { createCluster, createTenant, envelope, type SigningKey, upload } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";

const MiB = 1024 * 1024;
let h: Harness;
let a: { token: string; key: SigningKey };
let b: { token: string; key: SigningKey };

beforeAll(async () => {
  // one upload per tenant at a time, and a memory budget that holds one 32 MiB upload but not two
  h = await createHarness({ INGEST_TENANT_CONCURRENCY: 1, INGEST_MEMORY_MB: 72 });
  const ta = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "a");
  const tb = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "b");
  a = { token: ta.token, key: (await createCluster(h.app, ta.token, "a-1")).key };
  b = { token: tb.token, key: (await createCluster(h.app, tb.token, "b-1")).key };
});
afterAll(async () => {
  await h?.close();
});

/** A signed upload whose body arrives only when `release` is called: it stays in flight until then. */
function stalledUpload(key: SigningKey, declared?: number) {
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const body = Buffer.from(JSON.stringify(envelope()));
  const signed = signRequest({
    method: "POST",
    path: "/v1/reports",
    body,
    keyId: key.keyId,
    secret: key.secret,
  });
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await gate;
      controller.enqueue(body);
      controller.close();
    },
  });
  const headers: Record<string, string> = { "content-type": "application/json", ...signed };
  if (declared !== undefined) headers["content-length"] = String(declared);
  const res = h.app.request(
    new Request("http://localhost/v1/reports", {
      method: "POST",
      headers,
      body: stream,
      duplex: "half",
    } as RequestInit),
  );
  return { res, release };
}

describe("upload admission", () => {
  it("a tenant over its uploads in flight gets 429 with Retry-After; another tenant is accepted", async () => {
    const first = stalledUpload(a.key);
    await new Promise((r) => setTimeout(r, 100));
    const second = await upload(h.app, a.key, envelope());
    expect(second.status).toBe(429);
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const other = await upload(h.app, b.key, envelope());
    expect(other.status).toBe(202);
    first.release();
    expect((await first.res).status).toBe(202);
    // the slot is free again
    expect((await upload(h.app, a.key, envelope())).status).toBe(202);
  });

  it("beyond the process's upload memory: 503 with Retry-After, before the body is read, nothing stored", async () => {
    // declares 32 MiB: 2 × 32 + 4 MiB of the 72 MiB budget
    const big = stalledUpload(a.key, 32 * MiB);
    await new Promise((r) => setTimeout(r, 100));
    const res = await upload(h.app, b.key, envelope(), { headers: { "content-length": String(20 * MiB) } });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    big.release();
    // the declared length was a lie: the request fails, and the budget is released either way
    await (await big.res).text();
    expect((await upload(h.app, b.key, envelope())).status).toBe(202);
  });
});

describe("Secret values never reach storage", () => {
  const secretList = (value: string) => ({
    apiVersion: "v1",
    kind: "List",
    items: [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "istio-system" } },
      {
        apiVersion: "v1",
        metadata: {
          name: "cacerts",
          namespace: "istio-system",
          annotations: {
            "kubectl.kubernetes.io/last-applied-configuration": `{"data":{"ca-key.pem":"${value}"}}`,
            team: "platform",
          },
        },
        // `kind` after `data`: the scanner cannot know it is a Secret until the object ends
        data: { "ca-key.pem": value, "ca-cert.pem": value, empty: "" },
        stringData: { token: `plain-${value}` },
        kind: "Secret",
      },
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "istio", namespace: "istio-system" },
        data: { mesh: "x" },
      },
    ],
  });

  it("blanks data / stringData values and the last-applied annotation of a hand-made mesh-config upload", async () => {
    const secret = "c2VjcmV0LWtleS1tYXRlcmlhbA==";
    const res = await upload<{ reportId: string }>(
      h.app,
      a.key,
      envelope({ source: "mesh-config", report: secretList(secret) }),
      { gzip: true },
    );
    expect(res.status).toBe(202);
    const row = (
      await h.ctx.ownerPool.query("SELECT payload, payload_bytes FROM reports WHERE id = $1", [
        res.body.reportId,
      ])
    ).rows[0];
    const stored = gunzipSync(row.payload).toString("utf8");
    expect(stored).not.toContain(secret);
    expect(row.payload_bytes).toBe(Buffer.byteLength(stored));
    const env = JSON.parse(stored);
    const s = env.report.items[1];
    expect(s.data).toEqual({ "ca-key.pem": "", "ca-cert.pem": "", empty: "" });
    expect(s.stringData).toEqual({ token: "" });
    expect(s.metadata.annotations).toEqual({
      "kubectl.kubernetes.io/last-applied-configuration": "",
      team: "platform",
    });
    expect(env.report.items[2].data).toEqual({ mesh: "x" }); // a ConfigMap keeps its data
  });

  it("duplicate detection is on what is stored: the same List with other secret values is a duplicate", async () => {
    const collectedAt = new Date(Date.now() - 30_000).toISOString();
    const first = await upload<{ reportId: string; duplicate: boolean }>(
      h.app,
      b.key,
      envelope({ source: "mesh-config", collectedAt, report: secretList("Zmlyc3Q=") }),
    );
    const second = await upload<{ reportId: string; duplicate: boolean }>(
      h.app,
      b.key,
      envelope({ source: "mesh-config", collectedAt, report: secretList("c2Vjb25k") }),
    );
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ reportId: first.body.reportId, duplicate: true });
  });

  it("leaves other sources' bytes as uploaded", async () => {
    const res = await upload<{ reportId: string }>(
      h.app,
      a.key,
      envelope({
        source: "trivy-operator",
        report: { kind: "List", items: [{ kind: "Secret", data: { k: "v" } }] },
      }),
      { gzip: true },
    );
    const row = (
      await h.ctx.ownerPool.query("SELECT payload FROM reports WHERE id = $1", [res.body.reportId])
    ).rows[0];
    expect(gunzipSync(row.payload).toString()).toContain('"k":"v"');
  });
});
