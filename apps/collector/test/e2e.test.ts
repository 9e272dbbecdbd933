import { gunzipSync } from "node:zlib";
import { startApi } from "@bulwark/api/server";
import { createLogger } from "@bulwark/runtime";
import { PARSERS, startWorker } from "@bulwark/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../test/support/context.js";
import { type FakeApiServer, loadFixture, startFakeApiServer } from "./support/fake-apiserver.js";
import { runCli } from "./support/run-cli.js";

/**
 * A whole collector run as a tenant has it: the cluster read from a fake API server through the real
 * client, the scanner files from samples/, every upload signed and sent to the real API, processed by the
 * real worker, the findings read back through the tenant API.
 */
const logger = createLogger("silent");
let ctx: TestContext;
let api: Awaited<ReturnType<typeof startApi>>;
let worker: Awaited<ReturnType<typeof startWorker>>;
let fake: FakeApiServer;
let token: string;
let env: NodeJS.ProcessEnv;

async function call<T>(
  path: string,
  init: { method?: string; body?: unknown; auth?: string } = {},
): Promise<T> {
  const res = await fetch(new URL(path, api.url), {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${init.auth ?? token}`, "content-type": "application/json" },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  return (await res.json()) as T;
}

interface Report {
  status: string;
  source: string;
  error: string | null;
  stats: { findings: number } | null;
}

async function settled(reportId: string): Promise<Report> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const r = await call<Report>(`/v1/reports/${reportId}`);
    if (r.status === "done" || r.status === "failed") return r;
    if (Date.now() > deadline) throw new Error(`report ${reportId} still ${r.status}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

beforeAll(async () => {
  ctx = await createTestContext();
  api = await startApi(ctx.config, logger);
  worker = await startWorker(ctx.config, logger);
  fake = await startFakeApiServer({
    objects: loadFixture(new URL("./fixtures/cluster.yaml", import.meta.url)),
  });
  const tenant = await call<{ token: string }>("/admin/v1/tenants", {
    method: "POST",
    body: { name: "collector-e2e" },
    auth: ctx.config.ADMIN_TOKEN,
  });
  token = tenant.token;
  const cluster = await call<{ key: { keyId: string; secret: string } }>("/v1/clusters", {
    method: "POST",
    body: { name: "mesh-prod" },
  });
  env = { BULWARK_URL: api.url, BULWARK_KEY_ID: cluster.key.keyId, BULWARK_KEY_SECRET: cluster.key.secret };
});
afterAll(async () => {
  await fake?.close();
  await worker?.close();
  await api?.close();
  await ctx?.close();
});

describe("collector → API → worker → findings", () => {
  it("uploads the cluster and the scanner files; the API accepts each and the worker processes it", async () => {
    const sent: Buffer[] = [];
    const recording: typeof fetch = async (input, init) => {
      if (init?.body instanceof Uint8Array) sent.push(Buffer.from(init.body));
      return fetch(input, init);
    };
    const r = await runCli(
      fake,
      [
        "--file",
        "kube-bench=samples/kube-bench.json",
        "--file",
        "trivy=samples/trivy-k8s.json",
        "--page-size",
        "2",
      ],
      env,
      { dryRun: false, deps: { fetchImpl: recording } },
    );
    expect(r.code, r.stderr).toBe(0);
    const uploads = r.summary?.uploads ?? [];
    expect(uploads.map((u) => [u.source, u.status, u.httpStatus])).toEqual([
      ["trivy-operator", "sent", 202],
      ["mesh-config", "sent", 202],
      ["kube-bench", "sent", 202],
      ["trivy", "sent", 202],
    ]);

    const reports = new Map<string, Report>();
    for (const u of uploads) reports.set(u.source, await settled(u.reportId as string));
    // findings from the scanner files, through the parsers the worker has
    expect(reports.get("kube-bench")).toMatchObject({ status: "done", stats: { findings: 13 } });
    expect(reports.get("trivy")).toMatchObject({ status: "done", error: null });
    const benchFindings = await call<{ items: { source: string; cluster: { name: string } }[] }>(
      "/v1/findings?source=kube-bench&limit=500",
    );
    expect(benchFindings.items).toHaveLength(13);
    expect(benchFindings.items[0]).toMatchObject({ source: "kube-bench", cluster: { name: "mesh-prod" } });
    expect((await call<{ items: unknown[] }>("/v1/findings?source=trivy&limit=500")).items.length).toBe(
      reports.get("trivy")?.stats?.findings,
    );
    // the cluster uploads are processed whether or not their parser is registered yet
    for (const source of ["trivy-operator", "mesh-config"] as const) {
      const report = reports.get(source);
      if (PARSERS[source]) {
        expect(report, `${source}: ${report?.error}`).toMatchObject({ status: "done", error: null });
        // the fixture's reports hold failing checks and vulnerabilities: a parser finds some
        expect(report?.stats?.findings).toBeGreaterThan(0);
        const found = await call<{ items: unknown[] }>(`/v1/findings?source=${source}&limit=500`);
        expect(found.items).toHaveLength(report?.stats?.findings as number);
      } else {
        expect(report).toMatchObject({ status: "failed", error: expect.any(String) });
      }
    }

    // nothing secret left the cluster, neither on the wire nor in what the server stored
    expect(sent).toHaveLength(4);
    const stored = await ctx.ownerPool.query<{ payload: Buffer }>("SELECT payload FROM reports");
    for (const body of [...sent, ...stored.rows.map((row) => row.payload)]) {
      const text = gunzipSync(body).toString();
      expect(text).not.toContain("SENTINEL");
      expect(text).not.toContain("U0VOVElOR");
      expect(text).not.toContain(env.BULWARK_KEY_SECRET);
    }
  });

  it("exits 1 with one line per upload the server refuses (a revoked key is never retried)", async () => {
    const r = await runCli(
      undefined,
      ["--no-cluster", "--file", "kube-bench=samples/kube-bench.json"],
      {
        ...env,
        BULWARK_KEY_SECRET: "bws_wrong-secret",
      },
      { dryRun: false },
    );
    expect(r.code).toBe(1);
    expect(r.summary?.uploads).toEqual([
      expect.objectContaining({ source: "kube-bench", status: "failed", httpStatus: 401, attempts: 1 }),
    ]);
    expect(r.stderr).toMatch(/^bulwark-collector: upload kube-bench failed: 401 .*\n$/);
  });
});
