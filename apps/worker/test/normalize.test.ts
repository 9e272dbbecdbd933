import { readFileSync } from "node:fs";
import { createLogger, createReportQueue, type ReportQueue } from "@bulwark/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../test/support/context.js";
import { seedReport, seedTenant } from "../../../test/support/factories.js";
import { normalizeReport } from "../src/jobs/normalize-report.js";
import { sweep } from "../src/maintenance/sweep.js";

const sample = JSON.parse(readFileSync(new URL("../../../samples/trivy-k8s.json", import.meta.url), "utf8"));
const logger = createLogger("silent");
let ctx: TestContext;
let queue: ReportQueue;
beforeAll(async () => {
  ctx = await createTestContext();
  queue = createReportQueue(ctx.redis, ctx.config.QUEUE_PREFIX);
});
afterAll(async () => {
  await queue?.close();
  await ctx?.close();
});

async function state(tenantId: string) {
  const f = await ctx.ownerPool.query(
    "SELECT id, fingerprint, status, first_seen_at, last_seen_at FROM findings WHERE tenant_id = $1 ORDER BY fingerprint",
    [tenantId],
  );
  const e = await ctx.ownerPool.query("SELECT count(*)::int AS n FROM finding_events WHERE tenant_id = $1", [
    tenantId,
  ]);
  return { findings: f.rows, events: e.rows[0].n };
}

async function report(id: string) {
  return (await ctx.ownerPool.query("SELECT status, error, stats FROM reports WHERE id = $1", [id])).rows[0];
}

describe("normalize-report job", () => {
  it("applies a trivy report and converges when run twice", async () => {
    const t = await seedTenant(ctx.ownerPool, "twice");
    const id = await seedReport(ctx.ownerPool, t, {
      source: "trivy",
      collectedAt: "2026-11-23T10:00:00Z",
      report: sample,
    });
    const first = await normalizeReport({ pool: ctx.pool, logger }, { tenantId: t.tenantId, reportId: id });
    expect(first.outcome).toBe("done");
    const after = await state(t.tenantId);
    expect(after.findings.length).toBeGreaterThan(20);
    expect(await report(id)).toMatchObject({
      status: "done",
      error: null,
      stats: { findings: after.findings.length, new: after.findings.length, resolved: 0 },
    });

    const second = await normalizeReport({ pool: ctx.pool, logger }, { tenantId: t.tenantId, reportId: id });
    expect(second.outcome).toBe("skipped");
    expect(await state(t.tenantId)).toEqual(after);
  });

  it("fails a report that does not parse, with the offending path, and changes no finding", async () => {
    const t = await seedTenant(ctx.ownerPool, "broken");
    const good = await seedReport(ctx.ownerPool, t, {
      source: "trivy",
      collectedAt: "2026-11-23T10:00:00Z",
      report: sample,
    });
    await normalizeReport({ pool: ctx.pool, logger }, { tenantId: t.tenantId, reportId: good });
    const before = await state(t.tenantId);
    const bad = await seedReport(ctx.ownerPool, t, {
      source: "trivy",
      collectedAt: "2026-11-23T11:00:00Z",
      report: { SchemaVersion: 2, Results: [{ Vulnerabilities: [{ VulnerabilityID: 42 }] }] },
    });
    const r = await normalizeReport({ pool: ctx.pool, logger }, { tenantId: t.tenantId, reportId: bad });
    expect(r.outcome).toBe("failed");
    const row = await report(bad);
    expect(row.status).toBe("failed");
    expect(row.error).toContain("$.Results[0].Target: expected a string");
    expect(row.error).toContain("nothing usable");
    expect(await state(t.tenantId)).toEqual(before);
  });

  it.each([
    ["an empty object", {}],
    [
      "a Polaris audit",
      { PolarisOutputVersion: "1.0", AuditTime: "x", Results: [{ Kind: "Pod", Name: "p" }] },
    ],
    ["an istioctl clean run", []],
  ])("fails %s sent as trivy and resolves nothing", async (_, wrong) => {
    const t = await seedTenant(ctx.ownerPool, "wrong");
    const good = await seedReport(ctx.ownerPool, t, {
      source: "trivy",
      collectedAt: "2026-11-23T10:00:00Z",
      report: sample,
    });
    await normalizeReport({ pool: ctx.pool, logger }, { tenantId: t.tenantId, reportId: good });
    const before = await state(t.tenantId);
    const bad = await seedReport(ctx.ownerPool, t, {
      source: "trivy",
      collectedAt: "2026-11-23T11:00:00Z",
      report: wrong,
    });
    expect(
      (await normalizeReport({ pool: ctx.pool, logger }, { tenantId: t.tenantId, reportId: bad })).outcome,
    ).toBe("failed");
    expect((await report(bad)).error).toMatch(/^the trivy report could not be parsed: \$/);
    expect(await state(t.tenantId)).toEqual(before);
  });

  it("a skipped entry never resolves the finding it would have matched; the report is done with warnings", async () => {
    const t = await seedTenant(ctx.ownerPool, "tolerant");
    const first = await seedReport(ctx.ownerPool, t, {
      source: "trivy",
      collectedAt: "2026-11-23T10:00:00Z",
      report: sample,
    });
    await normalizeReport({ pool: ctx.pool, logger }, { tenantId: t.tenantId, reportId: first });
    // the next scan: the same, but every vulnerability of the first resource has lost its VulnerabilityID
    const next = structuredClone(sample) as {
      Resources: {
        Kind: string;
        Name: string;
        Results?: { Vulnerabilities?: Record<string, unknown>[] }[];
      }[];
    };
    const target = next.Resources.find((r) => r.Results?.some((x) => (x.Vulnerabilities?.length ?? 0) > 0));
    if (!target) throw new Error("sample without vulnerabilities");
    let broken = 0;
    for (const res of target.Results ?? [])
      for (const v of res.Vulnerabilities ?? []) {
        delete v.VulnerabilityID;
        broken++;
      }
    const second = await seedReport(ctx.ownerPool, t, {
      source: "trivy",
      collectedAt: "2026-11-23T11:00:00Z",
      report: next,
    });
    expect(
      (await normalizeReport({ pool: ctx.pool, logger }, { tenantId: t.tenantId, reportId: second })).outcome,
    ).toBe("done");
    const row = (
      await ctx.ownerPool.query("SELECT status, stats, warnings FROM reports WHERE id = $1", [second])
    ).rows[0];
    expect(row.status).toBe("done");
    expect(row.stats.resolved).toBe(0);
    expect(row.warnings.count).toBe(broken);
    expect(row.warnings.first[0].path).toMatch(
      /^\$\.Resources\[\d+\]\.Results\[\d+\]\.Vulnerabilities\[0\]\.VulnerabilityID$/,
    );
    const open = await ctx.ownerPool.query(
      "SELECT count(*)::int AS n FROM findings WHERE tenant_id = $1 AND status = 'open'",
      [t.tenantId],
    );
    expect(open.rows[0].n).toBe((await state(t.tenantId)).findings.length);

    // a later clean scan without that workload does resolve its findings: the warning held them only once
    const third = await seedReport(ctx.ownerPool, t, {
      source: "trivy",
      collectedAt: "2026-11-23T12:00:00Z",
      report: { ...next, Resources: next.Resources.filter((r) => r !== target) },
    });
    await normalizeReport({ pool: ctx.pool, logger }, { tenantId: t.tenantId, reportId: third });
    const stats = (await report(third)).stats;
    expect(stats.resolved).toBeGreaterThanOrEqual(broken > 0 ? 1 : 0);
  });

  it("a newer snapshot waits for an older unfinished one of its scope, so the older is applied, not superseded", async () => {
    const t = await seedTenant(ctx.ownerPool, "ordered");
    const all = sample as { Resources: unknown[] };
    const older = await seedReport(ctx.ownerPool, t, {
      source: "trivy",
      collectedAt: "2026-11-23T10:00:00Z",
      report: all,
    });
    const newer = await seedReport(ctx.ownerPool, t, {
      source: "trivy",
      collectedAt: "2026-11-23T11:00:00Z",
      report: { ...all, Resources: all.Resources.slice(1) },
    });
    // another source and another scope do not wait for it
    const other = await seedReport(ctx.ownerPool, t, {
      source: "trivy",
      collectedAt: "2026-11-23T11:00:00Z",
      report: all,
      scope: { namespaces: ["default"] },
    });
    const deps = { pool: ctx.pool, logger, orderWaitMs: 300_000 };
    const waiting = await normalizeReport(deps, { tenantId: t.tenantId, reportId: newer });
    expect(waiting).toEqual({ outcome: "waiting", waitingFor: older });
    // unclaimed while it waits: still queued, no attempt counted, no finding
    const row = (await ctx.ownerPool.query("SELECT status, attempts FROM reports WHERE id = $1", [newer]))
      .rows[0];
    expect(row).toEqual({ status: "queued", attempts: 0 });
    expect((await state(t.tenantId)).findings).toHaveLength(0);
    expect((await normalizeReport(deps, { tenantId: t.tenantId, reportId: other })).outcome).toBe("done");

    expect((await normalizeReport(deps, { tenantId: t.tenantId, reportId: older })).outcome).toBe("done");
    expect((await normalizeReport(deps, { tenantId: t.tenantId, reportId: newer })).outcome).toBe("done");
    // the first resource's findings were recorded by the older snapshot and resolved by the newer one
    expect((await report(newer)).stats.resolved).toBeGreaterThan(0);

    // past the window a report no longer waits: the straggler is superseded when it finally runs
    const straggler = await seedReport(
      ctx.ownerPool,
      t,
      { source: "trivy", collectedAt: "2026-11-23T12:00:00Z", report: all },
      { receivedSecondsAgo: 600 },
    );
    const late = await seedReport(
      ctx.ownerPool,
      t,
      { source: "trivy", collectedAt: "2026-11-23T13:00:00Z", report: all },
      { receivedSecondsAgo: 400 },
    );
    expect((await normalizeReport(deps, { tenantId: t.tenantId, reportId: late })).outcome).toBe("done");
    expect((await normalizeReport(deps, { tenantId: t.tenantId, reportId: straggler })).outcome).toBe(
      "superseded",
    );
  });

  it("re-enqueues an accepted report whose job was lost", async () => {
    const t = await seedTenant(ctx.ownerPool, "lost");
    const id = await seedReport(
      ctx.ownerPool,
      t,
      { source: "trivy", collectedAt: "2026-11-23T10:00:00Z", report: sample },
      { receivedSecondsAgo: 300 },
    );
    const fresh = await seedReport(ctx.ownerPool, t, {
      source: "kube-bench",
      collectedAt: "2026-11-23T10:00:00Z",
      report: { Controls: [] },
    });
    const result = await sweep({ pool: ctx.pool, queue, logger, retentionDays: 30 });
    expect(result.requeued).toBe(1);
    const job = await queue.getJob(`report-${id}`);
    expect(job?.data).toEqual({ tenantId: t.tenantId, reportId: id });
    // a report inside the grace period is left to its own job
    expect(await queue.getJob(`report-${fresh}`)).toBeUndefined();
    // sweeping again while the job waits changes nothing
    expect((await sweep({ pool: ctx.pool, queue, logger, retentionDays: 30 })).requeued).toBe(0);
  });
});
