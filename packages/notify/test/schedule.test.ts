import { randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, describe, expect, inject, it } from "vitest";
import { LATE_AFTER_MS, owedPeriod, SETTLE_MS } from "../src/outbox.js";
import {
  latestTickAtOrBefore,
  nextTick,
  scheduleProblem,
  tickBefore,
  ticksBetween,
} from "../src/schedule.js";

const at = (s: string) => new Date(s);
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe("daylight-saving edges", () => {
  it("02:30 in Europe/Berlin fires once per day across both transitions of 2026", () => {
    const s = { cron: "30 2 * * *", timezone: "Europe/Berlin" };
    // spring forward (29 March: 02:00 → 03:00, so 02:30 does not exist): once, at 03:30 CEST
    expect(ticksBetween(s, at("2026-03-27T12:00:00Z"), at("2026-03-31T12:00:00Z")).map(iso)).toEqual([
      "2026-03-28T01:30:00.000Z",
      "2026-03-29T01:30:00.000Z",
      "2026-03-30T00:30:00.000Z",
      "2026-03-31T00:30:00.000Z",
    ]);
    // fall back (25 October: 03:00 → 02:00, so 02:30 happens twice): once, at the first
    expect(ticksBetween(s, at("2026-10-23T12:00:00Z"), at("2026-10-27T12:00:00Z")).map(iso)).toEqual([
      "2026-10-24T00:30:00.000Z",
      "2026-10-25T00:30:00.000Z",
      "2026-10-26T01:30:00.000Z",
      "2026-10-27T01:30:00.000Z",
    ]);
  });

  it("02:30 in America/New_York likewise (8 March and 1 November 2026)", () => {
    const s = { cron: "30 2 * * *", timezone: "America/New_York" };
    expect(ticksBetween(s, at("2026-03-07T12:00:00Z"), at("2026-03-09T12:00:00Z")).map(iso)).toEqual([
      "2026-03-08T07:30:00.000Z", // 03:30 EDT: the skipped 02:30 fires once, shifted
      "2026-03-09T06:30:00.000Z",
    ]);
    expect(ticksBetween(s, at("2026-10-31T12:00:00Z"), at("2026-11-02T12:00:00Z")).map(iso)).toEqual([
      "2026-11-01T07:30:00.000Z", // 02:30 EST, once
      "2026-11-02T07:30:00.000Z",
    ]);
  });

  it("the period ending at a transition tick starts at the tick before it, with no gap and no overlap", () => {
    const s = { cron: "30 2 * * *", timezone: "Europe/Berlin" };
    // cron-parser's own prev() skips the 29 March occurrence from here; ours does not
    expect(iso(latestTickAtOrBefore(s, at("2026-03-30T00:00:00Z")))).toBe("2026-03-29T01:30:00.000Z");
    expect(iso(tickBefore(s, at("2026-03-30T00:30:00Z")))).toBe("2026-03-29T01:30:00.000Z");
    // and its prev() repeats 25 October; ours returns the single occurrence
    expect(iso(tickBefore(s, at("2026-10-26T01:30:00Z")))).toBe("2026-10-25T00:30:00.000Z");
    expect(iso(tickBefore(s, at("2026-10-25T00:30:00Z")))).toBe("2026-10-24T00:30:00.000Z");
    // chaining periods over the two weeks around each transition covers time exactly once
    for (const [from, to] of [
      ["2026-03-22T00:00:00Z", "2026-04-05T00:00:00Z"],
      ["2026-10-18T00:00:00Z", "2026-11-01T00:00:00Z"],
    ] as const) {
      const ticks = ticksBetween(s, at(from), at(to));
      for (let i = 1; i < ticks.length; i++) {
        expect(iso(tickBefore(s, ticks[i] as Date))).toBe(iso(ticks[i - 1] as Date));
      }
    }
  });

  it("a weekday rule in Asia/Tokyo skips the weekend", () => {
    const s = { cron: "0 8 * * MON-FRI", timezone: "Asia/Tokyo" };
    // Friday 27 Nov 2026 08:00 JST → next is Monday 30 Nov 08:00 JST
    expect(iso(nextTick(s, at("2026-11-26T23:00:00Z")))).toBe("2026-11-29T23:00:00.000Z");
    expect(iso(tickBefore(s, at("2026-11-29T23:00:00Z")))).toBe("2026-11-26T23:00:00.000Z");
  });
});

describe("schedule validation", () => {
  it.each([
    [{ cron: "0 8 * * MON-FRI", timezone: "Asia/Tokyo" }, null],
    [{ cron: "*/5 * * * *", timezone: "UTC" }, null],
    [{ cron: "*/2 * * * *", timezone: "UTC" }, "cron"],
    [{ cron: "0 8 * * * *", timezone: "UTC" }, "cron"],
    [{ cron: "0 25 * * *", timezone: "UTC" }, "cron"],
    [{ cron: "0 8 * * *", timezone: "Europe/Atlantis" }, "timezone"],
  ])("%j → %s", (s, field) => {
    expect(scheduleProblem(s)?.field ?? null).toBe(field);
  });
});

describe("the owed period (injected clock)", () => {
  const rule = { cron: "0 8 * * *", timezone: "UTC", scheduledFrom: at("2026-01-01T00:00:00Z") };
  const settled = (s: string) => new Date(Date.parse(s) + SETTLE_MS + 1);

  it("is nothing before the first tick after the rule began counting", () => {
    expect(
      owedPeriod(
        { ...rule, scheduledFrom: at("2026-05-10T09:00:00Z") },
        null,
        settled("2026-05-10T10:00:00Z"),
      ),
    ).toBeNull();
  });

  it("is the natural period at a tick, then nothing until the next", () => {
    const p = owedPeriod(rule, null, settled("2026-05-10T08:00:00Z"));
    expect(p).toMatchObject({
      start: at("2026-05-09T08:00:00Z"),
      end: at("2026-05-10T08:00:00Z"),
      late: false,
      ticks: 1,
    });
    expect(owedPeriod(rule, at("2026-05-10T08:00:00Z"), settled("2026-05-10T08:05:00Z"))).toBeNull();
  });

  it("waits for the period to settle", () => {
    expect(owedPeriod(rule, at("2026-05-09T08:00:00Z"), at("2026-05-10T08:00:05Z"))).toBeNull();
  });

  it("after an outage: once, late, covering every missed tick since the last summary", () => {
    const p = owedPeriod(rule, at("2026-05-07T08:00:00Z"), at("2026-05-10T13:00:00Z"));
    expect(p).toMatchObject({
      start: at("2026-05-07T08:00:00Z"),
      end: at("2026-05-10T08:00:00Z"),
      late: true,
      ticks: 3,
    });
    expect(owedPeriod(rule, at("2026-05-10T08:00:00Z"), at("2026-05-10T13:00:00Z"))).toBeNull();
  });

  it("is late when the one tick is sent long after it", () => {
    const p = owedPeriod(
      rule,
      at("2026-05-09T08:00:00Z"),
      new Date(Date.parse("2026-05-10T08:00:00Z") + LATE_AFTER_MS + 1000),
    );
    expect(p).toMatchObject({ late: true, ticks: 1 });
  });

  it("a rule re-enabled after weeks starts from its natural period, not from its last summary", () => {
    const p = owedPeriod(
      { ...rule, scheduledFrom: at("2026-05-09T12:00:00Z") },
      at("2026-04-01T08:00:00Z"),
      settled("2026-05-10T08:00:00Z"),
    );
    expect(p).toMatchObject({ start: at("2026-05-09T08:00:00Z"), end: at("2026-05-10T08:00:00Z"), ticks: 1 });
  });
});

describe("BullMQ's job schedulers fire where these ticks say", () => {
  const redis = new Redis(inject("redisUrl"), { maxRetriesPerRequest: null });
  const prefix = `bwtest-sched-${randomBytes(4).toString("hex")}`;
  const queue = new Queue("notify", { connection: redis, prefix });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  });

  it.each([
    ["30 2 * * *", "Europe/Berlin"],
    ["30 2 * * *", "America/New_York"],
    ["0 8 * * MON-FRI", "Asia/Tokyo"],
    ["15 */6 * * *", "Australia/Lord_Howe"],
  ])("%s in %s", async (cron, timezone) => {
    const id = `t-${cron}-${timezone}`.replace(/[^A-Za-z0-9-]/g, "_");
    await queue.upsertJobScheduler(id, { pattern: cron, tz: timezone }, { name: "notify-tick", data: {} });
    const s = await queue.getJobScheduler(id);
    expect(s?.next).toBe(nextTick({ cron, timezone }, new Date()).getTime());
    // upserting again with the same settings changes nothing (the sync does it every 30 s)
    await queue.upsertJobScheduler(id, { pattern: cron, tz: timezone }, { name: "notify-tick", data: {} });
    expect((await queue.getJobScheduler(id))?.next).toBe(s?.next);
    expect(await queue.getDelayedCount()).toBeGreaterThan(0);
  });
});
