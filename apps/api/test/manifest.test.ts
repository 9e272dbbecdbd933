import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createCluster, createTenant, envelope, upload } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";

/** The envelope's optional `manifest` (an extension of contract §1.2): validated, stored, shown on the report. */
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("envelope manifest", () => {
  it("is stored with the report and returned by GET /v1/reports/{id}", async () => {
    const { token } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "manifest");
    const { key } = await createCluster(h.app, token, "prod");
    const manifest = [
      { resource: "pods", kind: "Pod", status: "read", count: 12, apiVersion: "v1" },
      {
        resource: "clusterrolebindings.rbac.authorization.k8s.io",
        kind: "ClusterRoleBinding",
        status: "forbidden",
        reason: "403 from the API server",
      },
    ];
    const up = await upload<{ reportId: string }>(h.app, key, envelope({ source: "mesh-config", manifest }));
    expect(up.status).toBe(202);
    const one = await call<{ manifest: unknown }>(h.app, "GET", `/v1/reports/${up.body.reportId}`, { token });
    expect(one.body.manifest).toEqual(manifest);
    // lists stay light: the manifest is on the single report only
    const list = await call<{ items: Record<string, unknown>[] }>(h.app, "GET", "/v1/reports", { token });
    expect(list.body.items[0]).not.toHaveProperty("manifest");
    const without = await upload<{ reportId: string }>(h.app, key, envelope());
    const plain = await call<{ manifest: unknown }>(h.app, "GET", `/v1/reports/${without.body.reportId}`, {
      token,
    });
    expect(plain.body.manifest).toBeNull();
  });

  it("rejects a malformed manifest with the bad field named, storing nothing", async () => {
    const { tenantId, token } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "bad-manifest");
    const { key } = await createCluster(h.app, token, "prod");
    const res = await upload<{ errors: { location: string }[] }>(
      h.app,
      key,
      envelope({ manifest: [{ resource: "pods", kind: "Pod", status: "maybe" }] }),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.location)).toContain("body.manifest.0.status");
    const rows = await h.ctx.ownerPool.query("select count(*)::int as n from reports where tenant_id = $1", [
      tenantId,
    ]);
    expect(rows.rows[0].n).toBe(0);
  });
});
