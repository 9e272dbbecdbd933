import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createCluster, createTenant } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";

type Coverage = {
  cluster: { id: string; name: string };
  reportId: string | null;
  collectedAt: string | null;
  facts: Record<string, unknown> | null;
};
type Problem = { status: number; detail: string; requestId: string };

const share = (count: number, total: number) => ({ count, total, share: total ? count / total : null });
const facts = (strict: number, total: number) => ({
  version: 1,
  meshPresent: true,
  workloads: total,
  namespaces: 2,
  mtlsStrict: share(strict, total),
  authorized: { ...share(total, total), withAllowPolicy: total, underDefaultDeny: total },
  meshed: { ...share(total, total), sidecar: total, ambient: 0 },
  endUserAuth: share(1, 2),
});

let h: Harness;
let token: string;
let otherToken: string;
let meshed: { id: string };
let bare: { id: string };
let foreign: { id: string };

async function seed(tenantId: string, clusterId: string, f: unknown, at = "2026-11-23T10:00:00Z") {
  // rows are written by the worker; these tests are about reading them
  await h.ctx.ownerPool.query(
    "insert into mesh_coverage (tenant_id, cluster_id, report_id, collected_at, facts) values ($1, $2, 'rpt_mesh', $3, $4)",
    [tenantId, clusterId, at, JSON.stringify(f)],
  );
}

beforeAll(async () => {
  h = await createHarness();
  const a = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "acme");
  const b = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "globex");
  token = a.token;
  otherToken = b.token;
  meshed = { id: (await createCluster(h.app, token, "prod-eu-1")).clusterId };
  bare = { id: (await createCluster(h.app, token, "dev")).clusterId };
  foreign = { id: (await createCluster(h.app, otherToken, "globex-prod")).clusterId };
  await seed(a.tenantId, meshed.id, facts(3, 4));
  await seed(b.tenantId, foreign.id, facts(1, 10));
});
afterAll(async () => {
  await h?.close();
});

describe("GET /v1/clusters/{id}/mesh-coverage", () => {
  it("serves the cluster's latest facts", async () => {
    const res = await call<Coverage>(h.app, "GET", `/v1/clusters/${meshed.id}/mesh-coverage`, { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      cluster: { id: meshed.id, name: "prod-eu-1" },
      reportId: "rpt_mesh",
      collectedAt: "2026-11-23T10:00:00.000Z",
      facts: facts(3, 4),
    });
  });

  it("404 before the cluster's first mesh-config report", async () => {
    const res = await call<Problem>(h.app, "GET", `/v1/clusters/${bare.id}/mesh-coverage`, { token });
    expect(res.status).toBe(404);
    expect(res.body.detail).toContain("no mesh-config report");
  });

  it("404 for an unknown cluster and for another tenant's cluster", async () => {
    expect((await call(h.app, "GET", "/v1/clusters/cls_nope/mesh-coverage", { token })).status).toBe(404);
    const cross = await call<Problem>(h.app, "GET", `/v1/clusters/${foreign.id}/mesh-coverage`, { token });
    expect(cross.status).toBe(404);
    expect(cross.headers.get("content-type")).toContain("application/problem+json");
  });

  it("401 without a token", async () => {
    expect((await call(h.app, "GET", `/v1/clusters/${meshed.id}/mesh-coverage`)).status).toBe(401);
  });
});

describe("GET /v1/mesh-coverage", () => {
  it("lists every cluster of the tenant only, with totals over those with facts", async () => {
    const res = await call<{ items: Coverage[]; total: Record<string, unknown> }>(
      h.app,
      "GET",
      "/v1/mesh-coverage",
      { token },
    );
    expect(res.status).toBe(200);
    expect(res.body.items.map((i) => [i.cluster.name, i.facts === null])).toEqual([
      ["dev", true],
      ["prod-eu-1", false],
    ]);
    expect(res.body.total).toMatchObject({
      clusters: 1,
      workloads: 4,
      mtlsStrict: { count: 3, total: 4, share: 0.75 },
    });
  });

  it("sums counts across clusters and recomputes the shares", async () => {
    const res = await call<{ items: Coverage[]; total: Record<string, unknown> }>(
      h.app,
      "GET",
      "/v1/mesh-coverage",
      {
        token: otherToken,
      },
    );
    expect(res.body.items.map((i) => i.cluster.id)).toEqual([foreign.id]);
    expect(res.body.total).toMatchObject({ clusters: 1, mtlsStrict: { count: 1, total: 10, share: 0.1 } });
  });

  it("is documented in the OpenAPI document with its error responses", async () => {
    const doc = await call<{ paths: Record<string, { get: { responses: Record<string, unknown> } }> }>(
      h.app,
      "GET",
      "/openapi.json",
    );
    expect(Object.keys(doc.body.paths["/v1/clusters/{id}/mesh-coverage"]?.get.responses ?? {})).toEqual(
      expect.arrayContaining(["200", "401", "403", "404", "500"]),
    );
    expect(doc.body.paths["/v1/mesh-coverage"]).toBeDefined();
  });
});
