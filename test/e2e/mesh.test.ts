import { readFileSync } from "node:fs";
import { startApi } from "@bulwark/api/server";
import { uploadReport } from "@bulwark/collector";
import { createLogger } from "@bulwark/runtime";
import { startWorker } from "@bulwark/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { createTestContext, type TestContext } from "../support/context.js";
import { e2eClient } from "../support/e2e-client.js";

/**
 * A signed mesh-config upload, end to end: collector client → API → queue → worker (mesh analyzer) →
 * findings and coverage facts read back through the tenant API.
 */
const hardened = readFileSync(
  new URL("../../apps/worker/test/fixtures/mesh/hardened.yaml", import.meta.url),
  "utf8",
);
const items = parseAllDocuments(hardened).map(
  (d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string } },
);
const logger = createLogger("silent");

let ctx: TestContext;
let api: Awaited<ReturnType<typeof startApi>>;
let worker: Awaited<ReturnType<typeof startWorker>>;
let token: string;
let clusterId: string;
let key: { keyId: string; secret: string };

const { call, waitFor } = e2eClient(() => ({ url: api.url, token }));

async function uploadMesh(list: unknown, minute: number) {
  const envelope = {
    schemaVersion: 1,
    source: "mesh-config",
    collectedAt: new Date(Date.UTC(2026, 10, 23, 9, minute)).toISOString(),
    tool: { name: "bulwark-collector", version: "0.1.0" },
    report: list,
  };
  const r = await uploadReport(envelope, { baseUrl: api.url, ...key });
  expect(r.status).toBe(202);
  return waitFor((r.body as { reportId: string }).reportId);
}

type Finding = {
  id: string;
  ruleId: string;
  severity: string;
  resource: { kind: string; namespace: string | null; name: string };
  remediation: string;
  taxonomy: { strategy: string; nist: string[] };
};

beforeAll(async () => {
  ctx = await createTestContext();
  api = await startApi(ctx.config, logger);
  worker = await startWorker(ctx.config, logger);
  token = (
    await call<{ token: string }>("/admin/v1/tenants", {
      method: "POST",
      body: { name: "mesh" },
      auth: ctx.config.ADMIN_TOKEN,
    })
  ).body.token;
  const cluster = await call<{ cluster: { id: string }; key: { keyId: string; secret: string } }>(
    "/v1/clusters",
    {
      method: "POST",
      body: { name: "prod-mesh" },
    },
  );
  clusterId = cluster.body.cluster.id;
  key = cluster.body.key;
});
afterAll(async () => {
  await worker?.close();
  await api?.close();
  await ctx?.close();
});

describe("signed mesh-config upload → mesh findings and coverage facts", () => {
  it("404s the coverage before any mesh-config report", async () => {
    expect((await call(`/v1/clusters/${clusterId}/mesh-coverage`)).status).toBe(404);
  });

  it("turns a weakened mesh into findings and facts, and resolves them when it is fixed", async () => {
    // the hardened mesh without its mesh-wide STRICT PeerAuthentication and default deny
    const weakened = items.filter(
      (o) =>
        !(
          o.metadata.namespace === "istio-system" &&
          ["PeerAuthentication", "AuthorizationPolicy"].includes(o.kind)
        ),
    );
    const r1 = await uploadMesh({ apiVersion: "v1", kind: "List", items: weakened }, 0);
    expect(r1).toMatchObject({ status: "done", error: null });
    expect(r1.stats.findings).toBeGreaterThanOrEqual(2);

    const open = await call<{ items: Finding[] }>("/v1/findings?source=mesh-config&limit=500");
    const byRule = new Map(open.body.items.map((f) => [f.ruleId, f]));
    expect(byRule.get("MESH-MTLS-01")).toMatchObject({
      severity: "high",
      resource: { kind: "Namespace", namespace: "istio-system", name: "istio-system" },
      taxonomy: { strategy: "PROT-MTLS", nist: expect.arrayContaining(["SP 800-204 MS-SS-4"]) },
    });
    expect(byRule.get("MESH-MTLS-01")?.remediation).toContain("kind: PeerAuthentication");
    expect(byRule.get("MESH-AUTHZ-01")).toBeDefined();

    const cov = await call<{
      facts: { mtlsStrict: { count: number; total: number }; meshed: { share: number } };
    }>(`/v1/clusters/${clusterId}/mesh-coverage`);
    expect(cov.status).toBe(200);
    expect(cov.body.facts).toMatchObject({ mtlsStrict: { count: 0, total: 1 }, meshed: { share: 1 } });

    // the fixed mesh: a newer snapshot resolves the findings and replaces the facts
    const r2 = await uploadMesh({ apiVersion: "v1", kind: "List", items }, 1);
    expect(r2.stats).toMatchObject({ findings: 0, resolved: r1.stats.findings });
    const all = await call<{
      items: { clusterId?: string; facts: { mtlsStrict: { share: number } } | null }[];
    }>("/v1/mesh-coverage");
    expect(all.body.items).toEqual([
      expect.objectContaining({
        facts: expect.objectContaining({ mtlsStrict: { count: 1, total: 1, share: 1 } }),
      }),
    ]);
  });

  it("keeps the newer facts when an older snapshot arrives late", async () => {
    const late = await uploadMesh(
      { apiVersion: "v1", kind: "List", items: items.filter((o) => o.kind !== "PeerAuthentication") },
      0,
    );
    expect(late.status).toBe("done");
    const cov = await call<{ facts: { mtlsStrict: { share: number } } }>(
      `/v1/clusters/${clusterId}/mesh-coverage`,
    );
    expect(cov.body.facts.mtlsStrict.share).toBe(1);
  });
});
