import { z } from "zod";

/**
 * True when an RFC 3339 date-time names a real instant: JavaScript's Date rolls `2026-02-30` over to March 2
 * and Postgres refuses it, so the calendar fields are checked against the instant they parse to. Years are
 * bounded to 1970–9999 (what every column and cursor here can hold).
 */
export function isRealDateTime(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.exec(s);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as number[];
  if ((year as number) < 1970 || (year as number) > 9999) return false;
  if ((hour as number) > 23 || (minute as number) > 59 || (second as number) > 59) return false;
  if (m[8] && m[8].toUpperCase() !== "Z") {
    const [oh, om] = m[8].slice(1).split(":").map(Number) as number[];
    if ((oh as number) > 23 || (om as number) > 59) return false;
  }
  // the calendar date must exist: compare against the UTC date the same fields make
  const d = new Date(Date.UTC(year as number, (month as number) - 1, day as number));
  return d.getUTCFullYear() === year && d.getUTCMonth() === (month as number) - 1 && d.getUTCDate() === day;
}

/** An RFC 3339 date-time with an offset that names a real instant (see isRealDateTime). */
export const realDateTime = () =>
  z.iso.datetime({ offset: true }).refine(isRealDateTime, {
    message: "not a real date and time (RFC 3339, years 1970-9999)",
    // only when the format is right: one issue per bad value
    when: (payload) => payload.issues.length === 0,
  });
