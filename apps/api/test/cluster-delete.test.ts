/**
 * DELETE /v1/clusters/{id}: its keys stop working at once; with findings=keep (the default) its findings are
 * resolved and kept with their history and reports, with findings=delete nothing of it remains.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createCluster, createTenant, envelope, upload } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";
import { seedFindings } from "./support/seed.js";

let h: Harness;
let token: string;
let tenantId: string;

beforeAll(async () => {
  h = await createHarness();
  ({ token, tenantId } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN));
});
afterAll(() => h.close());

const del = (id: string, query = "", t = token) =>
  call<Record<string, unknown>>(h.app, "DELETE", `/v1/clusters/${id}${query}`, { token: t });

describe("DELETE /v1/clusters/{id}", () => {
  it("keeps the findings by default: resolved, with history; the keys stop working; the name is free", async () => {
    const { clusterId, key } = await createCluster(h.app, token, "retiring");
    const queued = await upload<{ reportId: string }>(h.app, key, envelope());
    const [open = "", alreadyResolved = ""] = await seedFindings(h.ctx.ownerPool, tenantId, [
      { clusterId, status: "open" },
      { clusterId, status: "resolved" },
    ]);
    const res = await del(clusterId);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ keysRevoked: 1, findingsResolved: 1, reportsCancelled: 1, purged: false });

    const list = await call<{ items: { id: string }[] }>(h.app, "GET", "/v1/clusters", { token });
    expect(list.body.items.map((c) => c.id)).not.toContain(clusterId);
    const refused = await upload<{ detail: string }>(h.app, key, envelope());
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toContain("revoked");

    const f = await call<{ status: string; history: { fromStatus: string | null; toStatus: string }[] }>(
      h.app,
      "GET",
      `/v1/findings/${open}`,
      { token },
    );
    expect(f.status).toBe(200);
    expect(f.body.status).toBe("resolved");
    expect(f.body.history.at(-1)).toMatchObject({ fromStatus: "open", toStatus: "resolved" });
    expect((await call(h.app, "GET", `/v1/findings/${alreadyResolved}`, { token })).status).toBe(200);
    const report = await call<{ status: string; error: string }>(
      h.app,
      "GET",
      `/v1/reports/${queued.body.reportId}`,
      {
        token,
      },
    );
    expect(report.body).toMatchObject({
      status: "failed",
      error: expect.stringContaining("cluster was deleted"),
    });

    // the name can be registered again; deleting the kept cluster again changes nothing
    expect((await createCluster(h.app, token, "retiring")).clusterId).not.toBe(clusterId);
    expect((await del(clusterId)).body).toEqual({
      keysRevoked: 0,
      findingsResolved: 0,
      reportsCancelled: 0,
      purged: false,
    });

    // and findings=delete purges it later
    expect((await del(clusterId, "?findings=delete")).body).toMatchObject({ purged: true });
    expect((await call(h.app, "GET", `/v1/findings/${open}`, { token })).status).toBe(404);
    expect((await call(h.app, "GET", `/v1/reports/${queued.body.reportId}`, { token })).status).toBe(404);
    expect((await del(clusterId)).status).toBe(404);
  });

  it("findings=delete removes the cluster and everything recorded for it", async () => {
    const { clusterId, key } = await createCluster(h.app, token, "gone");
    const [finding = ""] = await seedFindings(h.ctx.ownerPool, tenantId, [{ clusterId }]);
    const res = await del(clusterId, "?findings=delete");
    expect(res.body).toEqual({ keysRevoked: 1, findingsResolved: 0, reportsCancelled: 0, purged: true });
    expect((await call(h.app, "GET", `/v1/findings/${finding}`, { token })).status).toBe(404);
    const rows = await h.ctx.ownerPool.query(
      "select count(*)::int as n from signing_keys where cluster_id = $1",
      [clusterId],
    );
    expect(rows.rows[0].n).toBe(0);
    expect((await upload(h.app, key, envelope())).status).toBe(401);
  });

  it("needs the admin scope, names a bad findings value, and answers 404 for another tenant's cluster", async () => {
    const { clusterId } = await createCluster(h.app, token, "guarded");
    const reader = await call<{ token: string }>(h.app, "POST", "/v1/tokens", {
      token,
      body: { name: "reader", scopes: ["read"] },
    });
    expect((await del(clusterId, "", reader.body.token)).status).toBe(403);
    const bad = await del(clusterId, "?findings=maybe");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("query.findings");
    const other = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "other");
    expect((await del(clusterId, "", other.token)).status).toBe(404);
    expect((await call(h.app, "GET", "/v1/clusters", { token })).body).toMatchObject({
      items: expect.arrayContaining([expect.objectContaining({ id: clusterId })]),
    });
  });
});
