import { readFileSync } from "node:fs";
import { startApi } from "@bulwark/api/server";
import { uploadReport } from "@bulwark/collector";
import { createLogger, createReportQueue } from "@bulwark/runtime";
import { startWorker, sweep } from "@bulwark/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";
import { e2eClient } from "../support/e2e-client.js";

/**
 * End to end, as a tenant sees it: a real HTTP server, a real worker on its own queue prefix, signed gzip
 * uploads from the collector's client, findings read back through the tenant API.
 */
const sample = JSON.parse(readFileSync(new URL("../../samples/trivy-k8s.json", import.meta.url), "utf8"));
const bench = JSON.parse(readFileSync(new URL("../../samples/kube-bench.json", import.meta.url), "utf8"));
const logger = createLogger("silent");

let ctx: TestContext;
let api: Awaited<ReturnType<typeof startApi>>;
let worker: Awaited<ReturnType<typeof startWorker>> | null = null;
let token: string;
let key: { keyId: string; secret: string };

const { call, waitFor } = e2eClient(() => ({ url: api.url, token }));

function envelope(source: string, report: unknown, minute: number, extra: Record<string, unknown> = {}) {
  return {
    schemaVersion: 1,
    source,
    collectedAt: new Date(Date.UTC(2026, 10, 23, 9, minute)).toISOString(),
    report,
    ...extra,
  };
}

async function upload(body: unknown) {
  const r = await uploadReport(body, { baseUrl: api.url, ...key });
  return { status: r.status, body: r.body as { reportId: string; duplicate: boolean } };
}

async function openFindings(query = "") {
  const items: { id: string; ruleId: string; status: string; resource: { name: string | null } }[] = [];
  let cursor: string | null = null;
  do {
    const r: { body: { items: typeof items; nextCursor: string | null } } = await call(
      `/v1/findings?limit=500${query}${cursor ? `&cursor=${cursor}` : ""}`,
    );
    items.push(...r.body.items);
    cursor = r.body.nextCursor;
  } while (cursor);
  return items;
}

beforeAll(async () => {
  ctx = await createTestContext();
  api = await startApi(ctx.config, logger);
  const tenant = await call<{ token: string }>("/admin/v1/tenants", {
    method: "POST",
    body: { name: "e2e" },
    auth: ctx.config.ADMIN_TOKEN,
  });
  token = tenant.body.token;
  const cluster = await call<{ key: { keyId: string; secret: string } }>("/v1/clusters", {
    method: "POST",
    body: { name: "prod-eu-1" },
  });
  key = cluster.body.key;
});
afterAll(async () => {
  await worker?.close();
  await api?.close();
  await ctx?.close();
});

describe("signed upload → queue → normalization → query", () => {
  it("processes a report accepted while no worker ran and Redis lost its job", async () => {
    const up = await upload(envelope("kube-bench", bench, 0));
    expect(up.status).toBe(202);
    // Redis loses everything it had (it keeps nothing on disk): the report row is all that is left
    const queue = createReportQueue(ctx.redis, ctx.config.QUEUE_PREFIX);
    await queue.obliterate({ force: true });
    expect(await queue.getJob(`report-${up.body.reportId}`)).toBeUndefined();

    worker = await startWorker(ctx.config, logger);
    const swept = await sweep({ pool: ctx.pool, queue, logger, retentionDays: 30, graceSeconds: 0 });
    expect(swept.requeued).toBeGreaterThanOrEqual(1);
    await queue.close();
    const done = await waitFor(up.body.reportId);
    expect(done.status).toBe("done");
    expect(done.stats.findings).toBe(13); // 5 FAIL + 8 WARN in samples/kube-bench.json
  });

  it("turns a trivy k8s report into findings with taxonomy, and applies later snapshots", async () => {
    const first = await upload(envelope("trivy", sample, 1));
    expect(first.status).toBe(202);
    const r1 = await waitFor(first.body.reportId);
    expect(r1).toMatchObject({ status: "done", error: null });
    const open = await openFindings("&source=trivy");
    expect(open).toHaveLength(r1.stats.findings as number);
    expect(r1.stats).toMatchObject({ new: r1.stats.findings, resolved: 0 });

    // a finding carries the contract's shape, named by its owner workload
    const f = await call<Record<string, unknown>>(`/v1/findings/${open[0]?.id}`);
    expect(f.body).toMatchObject({
      cluster: { name: "prod-eu-1" },
      source: "trivy",
      status: "open",
      taxonomy: { category: expect.any(String), strategy: expect.any(String), nist: expect.any(Array) },
    });

    // the same body again is a duplicate
    expect((await upload(envelope("trivy", sample, 1))).body).toMatchObject({
      duplicate: true,
      reportId: first.body.reportId,
    });

    // a newer snapshot without the payments workload resolves its findings
    const withoutPayments = {
      ...sample,
      Resources: sample.Resources.filter((r: { Name: string }) => r.Name !== "payments-api"),
    };
    const second = await upload(envelope("trivy", withoutPayments, 2));
    const r2 = await waitFor(second.body.reportId);
    const paymentsCount = open.filter((x) => x.resource.name === "payments-api").length;
    expect(paymentsCount).toBeGreaterThan(0);
    expect(r2.stats).toMatchObject({ resolved: paymentsCount, new: 0, reopened: 0 });
    const resolved = await openFindings("&source=trivy&status=resolved");
    expect(resolved).toHaveLength(paymentsCount);

    // an older snapshot arriving late changes nothing
    const late = await upload(envelope("trivy", sample, 0));
    const r3 = await waitFor(late.body.reportId);
    expect(r3.stats).toMatchObject({ new: 0, resolved: 0, reopened: 0 });
    expect(await openFindings("&source=trivy&status=resolved")).toHaveLength(paymentsCount);

    // the payments workload comes back: reopened, same ids
    const third = await upload(envelope("trivy", sample, 3));
    const r4 = await waitFor(third.body.reportId);
    expect(r4.stats).toMatchObject({ reopened: paymentsCount, resolved: 0, new: 0 });
    const reopened = (await openFindings("&source=trivy")).filter((x) => x.resource.name === "payments-api");
    expect(reopened.map((x) => x.id).sort()).toEqual(
      open
        .filter((x) => x.resource.name === "payments-api")
        .map((x) => x.id)
        .sort(),
    );
  });

  it("fails an unparseable report with a readable error and keeps every finding", async () => {
    const before = await openFindings();
    const bad = await upload(envelope("trivy", { SchemaVersion: 2, Results: "not a list" }, 4));
    expect(bad.status).toBe(202);
    const r = await waitFor(bad.body.reportId);
    expect(r.status).toBe("failed");
    expect(r.error).toContain("$.Results");
    expect(await openFindings()).toEqual(before);
  });
});
