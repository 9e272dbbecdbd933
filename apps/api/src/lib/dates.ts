import { z } from "@hono/zod-openapi";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date (no 2026-02-31), from 1970 to 9999. */
function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && s >= "1970-01-01";
}

/**
 * A UTC day given as `YYYY-MM-DD` or as an RFC 3339 instant (its UTC date is taken); impossible dates are
 * rejected here, so they never reach Postgres.
 */
export const utcDay = z
  .string()
  .max(40)
  .transform((s, ctx) => {
    const day = DATE.test(s)
      ? s
      : z.iso.datetime({ offset: true }).safeParse(s).success
        ? new Date(s).toISOString().slice(0, 10)
        : null;
    if (!day || !isRealDate(day)) {
      ctx.addIssue({ code: "custom", message: "must be a date (YYYY-MM-DD) or an RFC 3339 time" });
      return z.NEVER;
    }
    return day;
  });

/** An RFC 3339 instant with a real date (2026-02-31T00:00:00Z is refused), as an ISO string. */
export const instant = z.iso
  .datetime({ offset: true })
  .refine(
    (s) => !Number.isNaN(new Date(s).getTime()) && isRealDate(s.slice(0, 10)),
    "not a real date and time",
  );

export const todayUtc = () => new Date().toISOString().slice(0, 10);

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
