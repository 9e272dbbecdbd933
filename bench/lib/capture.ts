import pg from "pg";

export interface Captured {
  text: string;
  values: unknown[];
}

/**
 * Records the SQL the in-process API sends to Postgres, so the bench can run exactly that statement again
 * directly (timing and EXPLAIN ANALYZE) as its same-run reference. Bench-only: it wraps pg's Client.query.
 */
export function captureQueries(match: RegExp): { take(): Captured[]; clear(): void } {
  let seen: Captured[] = [];
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [first, second] = args;
    const text = typeof first === "string" ? first : (first as { text?: string } | undefined)?.text;
    if (text && match.test(text)) {
      const values = Array.isArray(second) ? second : ((first as { values?: unknown[] }).values ?? []);
      seen.push({ text, values });
    }
    return original.apply(this, args);
  };
  return {
    take() {
      const out = seen;
      seen = [];
      return out;
    },
    clear() {
      seen = [];
    },
  };
}
