import { CronExpressionParser } from "cron-parser";

/**
 * A rule's ticks. Everything here walks cron-parser's `next()` — the very function BullMQ's job schedulers use
 * (the same cron-parser version) — so the periods computed here are the ones the schedulers fire at, daylight
 * saving included: a local time that does not exist (02:30 on a spring-forward day) fires once at the shifted
 * time, one that exists twice (autumn) fires once. `prev()` is not trusted: around those transitions it skips
 * or repeats occurrences that `next()` does not.
 */
export const MIN_TICK_INTERVAL_MS = 5 * 60_000;
const FIELDS = 5;

export interface Schedule {
  cron: string;
  timezone: string;
}

export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}

function iterator(s: Schedule, from: Date) {
  return CronExpressionParser.parse(s.cron, { tz: s.timezone, currentDate: from });
}

/** The first tick strictly after `t`. */
export function nextTick(s: Schedule, t: Date): Date {
  return iterator(s, t).next().toDate();
}

/** Why a schedule is refused, or null: five fields, a real zone, ticks at least 5 minutes apart. */
export function scheduleProblem(s: Schedule): { field: "cron" | "timezone"; message: string } | null {
  if (!isValidTimezone(s.timezone))
    return { field: "timezone", message: "not an IANA time zone (e.g. Europe/Berlin)" };
  const fields = s.cron.trim().split(/\s+/);
  if (fields.length !== FIELDS) {
    return { field: "cron", message: "must have 5 fields: minute hour day-of-month month day-of-week" };
  }
  try {
    const it = iterator(s, new Date());
    let prev = it.next().toDate().getTime();
    // a sample of ticks: catches "* * * * *" and "*/2 …" while allowing irregular schedules
    for (let i = 0; i < 48; i++) {
      const t = it.next().toDate().getTime();
      if (t - prev < MIN_TICK_INTERVAL_MS) {
        return { field: "cron", message: "ticks must be at least 5 minutes apart" };
      }
      prev = t;
    }
  } catch (e) {
    return { field: "cron", message: `not a cron expression: ${(e as Error).message}` };
  }
  return null;
}

/** How far back to start walking forward so that at least one tick lies between the anchor and `t`. */
function anchorBefore(s: Schedule, t: Date): Date {
  // cron-parser's prev() is close (off by at most an occurrence around DST); two steps back and a day
  // of margin put the anchor safely before the tick we want, then next() decides
  try {
    const it = CronExpressionParser.parse(s.cron, { tz: s.timezone, currentDate: t });
    it.prev();
    const p = it.prev().toDate();
    return new Date(p.getTime() - 86_400_000);
  } catch {
    return new Date(t.getTime() - 400 * 86_400_000);
  }
}

/** The last tick at or before `t` (null when the schedule never ticked in the year before it). */
export function latestTickAtOrBefore(s: Schedule, t: Date): Date | null {
  const it = iterator(s, anchorBefore(s, t));
  let last: Date | null = null;
  for (let i = 0; i < 100_000; i++) {
    const n = it.next().toDate();
    if (n.getTime() > t.getTime()) return last;
    last = n;
  }
  return last;
}

/** The tick before the tick `tick` (the start of the period that ends at it). */
export function tickBefore(s: Schedule, tick: Date): Date | null {
  return latestTickAtOrBefore(s, new Date(tick.getTime() - 1));
}

/** Every tick in (from, to], at most `max` of them: how many periods a late summary covers. */
export function ticksBetween(s: Schedule, from: Date, to: Date, max = 1000): Date[] {
  const out: Date[] = [];
  const it = iterator(s, from);
  while (out.length < max) {
    const n = it.next().toDate();
    if (n.getTime() > to.getTime()) break;
    out.push(n);
  }
  return out;
}
