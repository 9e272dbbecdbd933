import { startApi } from "@bulwark/api/server";
import { uploadReport } from "@bulwark/collector";
import { createLogger } from "@bulwark/runtime";
import { isStrategyId, type Source } from "@bulwark/schema";
import { startWorker } from "@bulwark/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeReport } from "../../apps/worker/test/fixtures/istioctl.js";
import { kubeHunterReport } from "../../apps/worker/test/fixtures/kube-hunter.js";
import { kubescapeV3 } from "../../apps/worker/test/fixtures/kubescape.js";
import { polarisReport } from "../../apps/worker/test/fixtures/polaris.js";
import { popeyeSections } from "../../apps/worker/test/fixtures/popeye.js";
import {
  check,
  compliance,
  configAudit,
  vulnReport,
} from "../../apps/worker/test/fixtures/trivy-operator.js";
import { createTestContext, type TestContext } from "../support/context.js";

/** Every scanner source, from a signed upload to findings with taxonomy in the tenant API. */
const logger = createLogger("silent");
let ctx: TestContext;
let api: Awaited<ReturnType<typeof startApi>>;
let worker: Awaited<ReturnType<typeof startWorker>>;
let token: string;
let key: { keyId: string; secret: string };

async function get<T>(path: string): Promise<T> {
  const res = await fetch(new URL(path, api.url), { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

beforeAll(async () => {
  ctx = await createTestContext();
  api = await startApi(ctx.config, logger);
  worker = await startWorker(ctx.config, logger);
  const post = async (path: string, auth: string, body: unknown) => {
    const res = await fetch(new URL(path, api.url), {
      method: "POST",
      headers: { authorization: `Bearer ${auth}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return (await res.json()) as { token: string; key: { keyId: string; secret: string } };
  };
  token = (await post("/admin/v1/tenants", ctx.config.ADMIN_TOKEN, { name: "sources" })).token;
  key = (await post("/v1/clusters", token, { name: "prod" })).key;
});
afterAll(async () => {
  await worker?.close();
  await api?.close();
  await ctx?.close();
});

const trivyOperatorList = {
  apiVersion: "v1",
  kind: "List",
  items: [
    vulnReport("ReplicaSet", "web-7d4b9c8f5d", "app"),
    compliance(),
    configAudit("ReplicaSet", "web-7d4b9c8f5d", [
      check("KSV014", false, [
        "Container 'app' of ReplicaSet 'web-7d4b9c8f5d' should set 'securityContext.readOnlyRootFilesystem' to true",
      ]),
    ]),
  ],
};

const cases: [Source, unknown][] = [
  ["trivy-operator", trivyOperatorList],
  ["polaris", polarisReport()],
  ["popeye", popeyeSections()],
  ["kubescape", kubescapeV3()],
  ["kube-hunter", kubeHunterReport()],
  ["istioctl-analyze", analyzeReport()],
];

describe("every scanner source end to end", () => {
  it.each(cases)("%s: signed upload → done → findings with taxonomy", async (source, report) => {
    const up = await uploadReport(
      { schemaVersion: 1, source, collectedAt: new Date(Date.now() - 60_000).toISOString(), report },
      { baseUrl: api.url, ...key },
    );
    expect(up.status).toBe(202);
    const reportId = (up.body as { reportId: string }).reportId;
    let rep: { status: string; error: string | null; stats: { findings: number } };
    const deadline = Date.now() + 20_000;
    do {
      await new Promise((r) => setTimeout(r, 50));
      rep = await get(`/v1/reports/${reportId}`);
    } while (rep.status !== "done" && rep.status !== "failed" && Date.now() < deadline);
    expect(rep).toMatchObject({ status: "done", error: null });
    expect(rep.stats.findings).toBeGreaterThan(0);
    const page = await get<{
      items: {
        resource: { kind: string | null; name: string | null };
        taxonomy: { strategy: string; category: string };
      }[];
    }>(`/v1/findings?source=${source}&status=all&limit=500`);
    expect(page.items).toHaveLength(rep.stats.findings);
    for (const f of page.items) {
      expect(isStrategyId(f.taxonomy.strategy)).toBe(true);
      expect(f.taxonomy.strategy.startsWith(`${f.taxonomy.category}-`)).toBe(true);
      // workloads are named by their owner, never by a ReplicaSet hash
      if (source === "trivy-operator") expect(f.resource).toMatchObject({ kind: "Deployment", name: "web" });
    }
  });
});

describe("compliance evidence", () => {
  it("keeps the trivy-operator ClusterComplianceReport per cluster and framework, served by the API", async () => {
    // the trivy-operator case above uploaded a List that holds a ClusterComplianceReport
    const all = await get<{
      items: {
        cluster: { name: string };
        framework: { id: string };
        summary: Record<string, number>;
        controls?: unknown;
      }[];
    }>("/v1/compliance");
    expect(all.items).toHaveLength(1);
    expect(all.items[0]).toMatchObject({ cluster: { name: "prod" }, framework: { id: "cis" } });
    expect(all.items[0]?.controls).toBeUndefined();
    const s = all.items[0]?.summary ?? {};
    expect((s.pass ?? 0) + (s.fail ?? 0) + (s.manual ?? 0)).toBe(3);
    expect(s.fail).toBeGreaterThanOrEqual(1);

    const clusterId = (await get<{ items: { id: string }[] }>("/v1/clusters")).items[0]?.id;
    const one = await get<{ items: { controls: { id: string; status: string; checks: unknown[] }[] }[] }>(
      `/v1/clusters/${clusterId}/compliance`,
    );
    const controls = one.items[0]?.controls ?? [];
    expect(controls.map((c) => c.id)).toEqual(["5.1.2", "5.1.3", "5.7.1"]);
    expect(controls.find((c) => c.id === "5.1.2")).toMatchObject({ status: "fail" });

    const missing = await fetch(new URL("/v1/clusters/cls_nothere/compliance", api.url), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(missing.status).toBe(404);
  });
});
