import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createCluster, createTenant, envelope, type SigningKey, upload } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";

type Problem = { status: number; errors?: { location: string; message: string }[] };
type Report = Record<string, unknown> & { id: string; receivedAt: string; status: string; source: string };
type Page = { items: Report[]; nextCursor: string | null };

let h: Harness;
let token: string;
let key: SigningKey;
let clusterId: string;
let other: { clusterId: string; key: SigningKey };
const ids: string[] = [];

beforeAll(async () => {
  h = await createHarness();
  ({ token } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN));
  ({ clusterId, key } = await createCluster(h.app, token, "main"));
  other = await createCluster(h.app, token, "side");
  for (const source of ["trivy", "kube-bench", "trivy", "polaris", "trivy"]) {
    const res = await upload<{ reportId: string }>(h.app, key, envelope({ source }));
    ids.push(res.body.reportId);
  }
  await upload(h.app, other.key, envelope({ source: "trivy" }));
});
afterAll(async () => {
  await h?.close();
});

describe("GET /v1/reports/{id}", () => {
  it("has the contract's shape while queued", async () => {
    const res = await call<Report>(h.app, "GET", `/v1/reports/${ids[0]}`, { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: ids[0],
      clusterId,
      source: "trivy",
      status: "queued",
      receivedAt: expect.stringMatching(/Z$/),
      collectedAt: expect.stringMatching(/Z$/),
      processedAt: null,
      error: null,
      stats: null,
      scope: null,
      runId: null,
      tool: null,
      supersededBy: null,
      warnings: null,
      manifest: null,
    });
  });

  it("shows the worker's outcome", async () => {
    const stats = { findings: 3, new: 2, unchanged: 1, resolved: 0, reopened: 0 };
    await h.ctx.ownerPool.query(
      "update reports set status = 'done', processed_at = now(), stats = $2 where id = $1",
      [ids[1], JSON.stringify(stats)],
    );
    await h.ctx.ownerPool.query(
      "update reports set status = 'failed', processed_at = now(), error = 'bad $.Results' where id = $1",
      [ids[2]],
    );
    const done = await call<Report>(h.app, "GET", `/v1/reports/${ids[1]}`, { token });
    expect(done.body).toMatchObject({ status: "done", stats, processedAt: expect.any(String), error: null });
    const failed = await call<Report>(h.app, "GET", `/v1/reports/${ids[2]}`, { token });
    expect(failed.body).toMatchObject({ status: "failed", error: "bad $.Results", stats: null });
  });

  it("404 for an unknown id", async () => {
    expect((await call(h.app, "GET", "/v1/reports/rpt_nope", { token })).status).toBe(404);
  });
});

describe("GET /v1/reports", () => {
  it("lists newest first and filters by cluster (id or name), source and status", async () => {
    const all = await call<Page>(h.app, "GET", "/v1/reports", { token });
    expect(all.body.items).toHaveLength(6);
    const times = all.body.items.map((r) => r.receivedAt);
    expect([...times].sort().reverse()).toEqual(times);
    for (const cluster of ["main", clusterId]) {
      const byCluster = await call<Page>(h.app, "GET", `/v1/reports?cluster=${cluster}`, { token });
      expect(byCluster.body.items.map((r) => r.id).sort()).toEqual([...ids].sort());
    }
    const trivyMain = await call<Page>(h.app, "GET", "/v1/reports?cluster=main&source=trivy", { token });
    expect(trivyMain.body.items.map((r) => r.id)).toEqual([ids[4], ids[2], ids[0]]);
    const failed = await call<Page>(h.app, "GET", "/v1/reports?status=failed", { token });
    expect(failed.body.items.map((r) => r.id)).toEqual([ids[2]]);
    const none = await call<Page>(h.app, "GET", "/v1/reports?cluster=nope", { token });
    expect(none.body).toEqual({ items: [], nextCursor: null });
  });

  it("pages by cursor without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: Page } = await call<Page>(
        h.app,
        "GET",
        `/v1/reports?limit=4${cursor ? `&cursor=${cursor}` : ""}`,
        {
          token,
        },
      );
      seen.push(...res.body.items.map((r) => r.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(2);
    const all = await call<Page>(h.app, "GET", "/v1/reports", { token });
    expect(seen).toEqual(all.body.items.map((r) => r.id));
  });

  it.each([
    ["limit=0", "query.limit"],
    ["limit=501", "query.limit"],
    ["status=lost", "query.status"],
    ["source=nessus", "query.source"],
    ["cursor=not-a-cursor", "query.cursor"],
    [`cursor=${Buffer.from('["x","y"]').toString("base64url")}`, "query.cursor"],
  ])("400 for %s", async (query, location) => {
    const res = await call<Problem>(h.app, "GET", `/v1/reports?${query}`, { token });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.location)).toContain(location);
  });
});
