import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createTenant, envelope, type SigningKey, upload } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";

type Problem = { status: number; detail: string; errors?: { location: string; message: string }[] };
type Created = { cluster: { id: string; name: string }; key: SigningKey };

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await createHarness();
  ({ token } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN));
});
afterAll(async () => {
  await h?.close();
});

describe("POST /v1/clusters", () => {
  it("creates a cluster and a signing key whose secret is stored encrypted", async () => {
    const res = await call<Created>(h.app, "POST", "/v1/clusters", { token, body: { name: "prod-eu-1" } });
    expect(res.status).toBe(201);
    expect(res.body.cluster).toEqual({ id: expect.stringMatching(/^cls_/), name: "prod-eu-1" });
    expect(res.body.key).toEqual({
      keyId: expect.stringMatching(/^key_/),
      secret: expect.stringMatching(/^bws_/),
    });
    const row = await h.ctx.ownerPool.query("select secret_ciphertext from signing_keys where id = $1", [
      res.body.key.keyId,
    ]);
    expect(row.rows[0].secret_ciphertext).toMatch(/^v1\./);
    expect(row.rows[0].secret_ciphertext).not.toContain(res.body.key.secret.slice(4));
  });

  it("409 on a duplicate name", async () => {
    await call(h.app, "POST", "/v1/clusters", { token, body: { name: "dup" } });
    const res = await call<Problem>(h.app, "POST", "/v1/clusters", { token, body: { name: "dup" } });
    expect(res.status).toBe(409);
  });

  it.each(["", "Prod", "-lead", "trail-", "a".repeat(64), "sp ace"])("400 for the name %j", async (name) => {
    const res = await call<Problem>(h.app, "POST", "/v1/clusters", { token, body: { name } });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.location).toBe("body.name");
  });

  it("accepts dots and underscores inside the name", async () => {
    expect((await call(h.app, "POST", "/v1/clusters", { token, body: { name: "eu.prod_1" } })).status).toBe(
      201,
    );
  });
});

describe("GET /v1/clusters", () => {
  it("lists clusters with the latest report per source", async () => {
    const { body: c } = await call<Created>(h.app, "POST", "/v1/clusters", {
      token,
      body: { name: "listed" },
    });
    const older = new Date(Date.now() - 120_000).toISOString();
    await upload(h.app, c.key, envelope({ source: "trivy", collectedAt: older }));
    const latest = await upload<{ reportId: string }>(h.app, c.key, envelope({ source: "trivy" }));
    await upload(h.app, c.key, envelope({ source: "polaris" }));
    const res = await call<{
      items: { id: string; name: string; createdAt: string; sources: Record<string, string>[] }[];
    }>(h.app, "GET", "/v1/clusters", { token });
    expect(res.status).toBe(200);
    const listed = res.body.items.find((x) => x.id === c.cluster.id);
    expect(listed?.name).toBe("listed");
    expect(listed?.sources.map((s) => s.source)).toEqual(["polaris", "trivy"]);
    const trivy = listed?.sources.find((s) => s.source === "trivy");
    const row = await h.ctx.ownerPool.query("select collected_at from reports where id = $1", [
      latest.body.reportId,
    ]);
    expect(trivy).toMatchObject({
      lastStatus: "queued",
      lastCollectedAt: row.rows[0].collected_at.toISOString(),
    });
    expect(res.body.items.find((x) => x.name === "dup")?.sources).toEqual([]);
  });
});

describe("signing keys", () => {
  it("adds, lists and revokes keys; the other key stays active", async () => {
    const { body: c } = await call<Created>(h.app, "POST", "/v1/clusters", { token, body: { name: "keys" } });
    const second = await call<SigningKey>(h.app, "POST", `/v1/clusters/${c.cluster.id}/keys`, { token });
    expect(second.status).toBe(201);
    expect(second.body.keyId).not.toBe(c.key.keyId);
    expect(
      (await call(h.app, "DELETE", `/v1/clusters/${c.cluster.id}/keys/${c.key.keyId}`, { token })).status,
    ).toBe(204);
    const list = await call<{ items: { keyId: string; revokedAt: string | null }[] }>(
      h.app,
      "GET",
      `/v1/clusters/${c.cluster.id}/keys`,
      { token },
    );
    expect(list.body.items).toEqual([
      { keyId: c.key.keyId, createdAt: expect.any(String), revokedAt: expect.any(String) },
      { keyId: second.body.keyId, createdAt: expect.any(String), revokedAt: null },
    ]);
    expect(JSON.stringify(list.body)).not.toContain("bws_");
    expect((await upload(h.app, second.body, envelope())).status).toBe(202);
  });

  it("404 for unknown clusters and keys", async () => {
    const { body: c } = await call<Created>(h.app, "POST", "/v1/clusters", {
      token,
      body: { name: "keys-404" },
    });
    expect((await call(h.app, "POST", "/v1/clusters/cls_nope/keys", { token })).status).toBe(404);
    expect((await call(h.app, "GET", "/v1/clusters/cls_nope/keys", { token })).status).toBe(404);
    expect(
      (await call(h.app, "DELETE", `/v1/clusters/${c.cluster.id}/keys/key_nope`, { token })).status,
    ).toBe(404);
    // a key of another cluster of the same tenant is not this cluster's key
    const { body: other } = await call<Created>(h.app, "POST", "/v1/clusters", {
      token,
      body: { name: "keys-other" },
    });
    expect(
      (await call(h.app, "DELETE", `/v1/clusters/${c.cluster.id}/keys/${other.key.keyId}`, { token })).status,
    ).toBe(404);
  });
});
