import { createNotifyQueue, type NotifyQueue } from "@bulwark/runtime";
import { JOBS } from "@bulwark/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncNotifications } from "../../apps/worker/src/notify/sync.js";
import { tick } from "../../apps/worker/src/notify/tick.js";
import { silentLogger } from "../support/context.js";
import { Scenario, type ScenarioTenant } from "../support/scenario.js";

/**
 * Postgres as the source of truth for schedules, with an injected clock: the sync keeps one job scheduler per
 * enabled rule, finds a period whose tick passed with no outbox row and enqueues it once, and the tick writes
 * one late summary covering every missed period.
 */
let s: Scenario;
let t: ScenarioTenant;
let queue: NotifyQueue;
const summary = { publicUrl: "https://bulwark.example.com", silentAfterHours: 26 };

beforeAll(async () => {
  s = await Scenario.create();
  t = await s.tenant("sched");
  queue = createNotifyQueue(s.h.ctx.redis, s.h.ctx.config.QUEUE_PREFIX);
});
afterAll(async () => {
  await queue?.close();
  await s?.close();
});

async function daily(name: string): Promise<string> {
  const r = await s.send<{ id: string }>(t, "POST", "/v1/notification-rules", {
    name,
    schedule: { cron: "0 8 * * *", timezone: "UTC" },
    channel: { type: "webhook", url: "https://93.184.216.34/hook" },
  });
  expect(r.status).toBe(201);
  return r.body.id;
}

async function scheduledRows(ruleId: string) {
  const r = await s.h.ctx.ownerPool.query<{
    period_start: Date;
    period_end: Date;
    late: boolean;
    status: string;
  }>(
    "select period_start, period_end, late, status from notification_deliveries where rule_id = $1 and kind = 'scheduled' order by period_start",
    [ruleId],
  );
  return r.rows;
}

const D = (iso: string) => new Date(iso);

describe("the notification sync", () => {
  it("keeps one scheduler per enabled rule, recreates one Redis lost, and removes those of disabled or deleted rules", async () => {
    const a = await daily("a");
    const b = await daily("b");
    await syncNotifications({ pool: s.h.ctx.pool, queue, logger: silentLogger });
    const ids = (await queue.getJobSchedulers(0, -1)).map((x) => x.key);
    expect(ids).toEqual(
      expect.arrayContaining([JOBS.notifyTick.schedulerId(a), JOBS.notifyTick.schedulerId(b)]),
    );
    const sched = await queue.getJobScheduler(JOBS.notifyTick.schedulerId(a));
    expect(sched).toMatchObject({ pattern: "0 8 * * *", tz: "UTC" });
    // Redis lost it
    await queue.removeJobScheduler(JOBS.notifyTick.schedulerId(a));
    await syncNotifications({ pool: s.h.ctx.pool, queue, logger: silentLogger });
    expect(await queue.getJobScheduler(JOBS.notifyTick.schedulerId(a))).toBeDefined();
    // disabled and deleted
    await s.send(t, "PATCH", `/v1/notification-rules/${a}`, { enabled: false });
    await s.send(t, "DELETE", `/v1/notification-rules/${b}`);
    const r = await syncNotifications({ pool: s.h.ctx.pool, queue, logger: silentLogger });
    expect(r.removed).toBe(2);
    const left = (await queue.getJobSchedulers(0, -1)).map((x) => x.key);
    expect(left).not.toContain(JOBS.notifyTick.schedulerId(a));
    expect(left).not.toContain(JOBS.notifyTick.schedulerId(b));
  });

  it("after an outage sends the missed periods once, late, in one summary", async () => {
    const id = await daily("outage");
    // counting since 1 May; the last summary went for the period ending 7 May 08:00; down until 10 May 13:00
    await s.h.ctx.ownerPool.query(
      "update notification_rules set scheduled_from = '2026-05-01T00:00:00Z' where id = $1",
      [id],
    );
    await s.h.ctx.ownerPool.query(
      `insert into notification_deliveries (id, tenant_id, rule_id, kind, period_start, period_end, status, channel_type, summary)
       values ('dlv_earlier', $1, $2, 'scheduled', '2026-05-06T08:00:00Z', '2026-05-07T08:00:00Z', 'sent', 'webhook', '{}')`,
      [t.tenantId, id],
    );
    const now = () => D("2026-05-10T13:00:00Z");
    const first = await syncNotifications({ pool: s.h.ctx.pool, queue, logger: silentLogger, now });
    expect(first.missed).toBeGreaterThanOrEqual(1);
    const job = await queue.getJob(JOBS.notifyTick.missedJobId(id, D("2026-05-10T08:00:00Z").getTime()));
    expect(job?.data).toEqual({ tenantId: t.tenantId, ruleId: id, late: true });
    // the sync runs again (any worker, every 30 s): the same job id, still one job
    await syncNotifications({ pool: s.h.ctx.pool, queue, logger: silentLogger, now });
    const missedJobs = (await queue.getJobs(["waiting", "delayed", "prioritized"])).filter((j) =>
      j.id?.startsWith(`notify-missed-${id}-`),
    );
    expect(missedJobs).toHaveLength(1);
    // the tick runs, twice (a duplicate from the scheduler when it catches up)
    const deps = { pool: s.h.ctx.pool, queue, logger: silentLogger, summary, now };
    expect(await tick(deps, { tenantId: t.tenantId, ruleId: id })).toMatch(/^dlv_/);
    expect(await tick(deps, { tenantId: t.tenantId, ruleId: id })).toBeNull();
    const rows = await scheduledRows(id);
    expect(rows.slice(1)).toEqual([
      expect.objectContaining({
        period_start: D("2026-05-07T08:00:00Z"),
        period_end: D("2026-05-10T08:00:00Z"),
        late: true,
      }),
    ]);
    // now owed nothing: the sync finds no missed tick
    const after = await syncNotifications({ pool: s.h.ctx.pool, queue, logger: silentLogger, now });
    const stillOwed = (await queue.getJobs(["waiting", "delayed", "prioritized"])).filter(
      (j) => j.id?.startsWith(`notify-missed-${id}-`) && j.id !== missedJobs[0]?.id,
    );
    expect(stillOwed).toHaveLength(0);
    expect(after.relayed).toBeGreaterThanOrEqual(0);
    // the next day's tick is on time and not late
    const next = await tick(
      { ...deps, now: () => D("2026-05-11T08:00:30Z") },
      { tenantId: t.tenantId, ruleId: id },
    );
    expect(next).toMatch(/^dlv_/);
    expect((await scheduledRows(id)).at(-1)).toMatchObject({
      period_start: D("2026-05-10T08:00:00Z"),
      period_end: D("2026-05-11T08:00:00Z"),
      late: false,
    });
  });

  it("relays an owed delivery whose job Redis lost", async () => {
    const id = await daily("relay");
    const sent = await s.send<{ deliveryId: string }>(t, "POST", `/v1/notification-rules/${id}/send`);
    await (
      await queue.getJob(JOBS.notifyDeliver.jobId({ tenantId: t.tenantId, deliveryId: sent.body.deliveryId }))
    )?.remove();
    await s.h.ctx.ownerPool.query(
      "update notification_deliveries set next_attempt_at = now() - interval '5 minutes' where id = $1",
      [sent.body.deliveryId],
    );
    const r = await syncNotifications({ pool: s.h.ctx.pool, queue, logger: silentLogger });
    expect(r.relayed).toBeGreaterThanOrEqual(1);
    expect(
      await queue.getJob(
        JOBS.notifyDeliver.jobId({ tenantId: t.tenantId, deliveryId: sent.body.deliveryId }),
      ),
    ).toBeDefined();
  });

  it("skipUnchanged: a period with no change is recorded as skipped and not sent", async () => {
    const r = await s.send<{ id: string }>(t, "POST", "/v1/notification-rules", {
      name: "quiet",
      schedule: { cron: "0 8 * * *", timezone: "UTC" },
      channel: { type: "webhook", url: "https://93.184.216.34/hook" },
      skipUnchanged: true,
    });
    await s.h.ctx.ownerPool.query(
      "update notification_rules set scheduled_from = '2026-05-01T00:00:00Z' where id = $1",
      [r.body.id],
    );
    const deps = {
      pool: s.h.ctx.pool,
      queue,
      logger: silentLogger,
      summary,
      now: () => D("2026-05-02T08:01:00Z"),
    };
    const deliveryId = await tick(deps, { tenantId: t.tenantId, ruleId: r.body.id });
    expect((await scheduledRows(r.body.id))[0]).toMatchObject({ status: "skipped" });
    expect(
      await queue.getJob(JOBS.notifyDeliver.jobId({ tenantId: t.tenantId, deliveryId: deliveryId ?? "" })),
    ).toBeUndefined();
  });
});
