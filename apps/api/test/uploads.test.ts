/**
 * GET /v1/uploads/{id}: what `bulwark-collector --wait` polls, signed with the cluster's key like an upload.
 * A cluster reads its own reports only; every signing check of uploads applies (and the nonce is spent).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signRequest } from "../../collector/src/signing.js";
import { createCluster, createTenant, envelope, type SigningKey, upload } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";

let h: Harness;
let key: SigningKey;
let otherKey: SigningKey;
let reportId: string;

beforeAll(async () => {
  h = await createHarness();
  const t = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN);
  key = (await createCluster(h.app, t.token, "a")).key;
  otherKey = (await createCluster(h.app, t.token, "b")).key;
  const res = await upload<{ reportId: string }>(h.app, key, envelope());
  reportId = res.body.reportId;
});
afterAll(() => h.close());

async function status(id: string, k: SigningKey, opts: { nonce?: string; path?: string } = {}) {
  const path = opts.path ?? `/v1/uploads/${id}`;
  const headers = signRequest({ method: "GET", path, body: new Uint8Array(0), ...k, nonce: opts.nonce });
  const res = await h.app.request(`/v1/uploads/${id}`, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("GET /v1/uploads/{id}", () => {
  it("answers the report's status to its cluster's key", async () => {
    const r = await status(reportId, key);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: reportId, source: "kube-bench", status: "queued", error: null });
    expect(r.body).not.toHaveProperty("manifest");
  });

  it("another cluster's key gets 404, as for an id that does not exist", async () => {
    expect((await status(reportId, otherKey)).status).toBe(404);
    expect((await status("rpt_doesnotexist00000000", key)).status).toBe(404);
  });

  it("refuses a bad signature, a signature over another path, a replayed nonce and no signature", async () => {
    expect((await status(reportId, { ...key, secret: "wrong" })).status).toBe(401);
    expect((await status(reportId, key, { path: "/v1/uploads/rpt_other" })).body.detail).toContain(
      "signature mismatch",
    );
    const nonce = "n".repeat(24);
    expect((await status(reportId, key, { nonce })).status).toBe(200);
    expect((await status(reportId, key, { nonce })).body.detail).toContain("replay");
    const bare = await h.app.request(`/v1/uploads/${reportId}`);
    expect(bare.status).toBe(401);
  });
});
