/**
 * Encoding for Postgres COPY … FROM STDIN in text format. Bulk writes go through COPY: it is the fastest way
 * to get rows into Postgres and keeps the write path free of per-finding statements.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what must be stripped
const NUL = /\u0000/g;

function escapeText(v: string): string {
  let s = v;
  if (s.includes("\u0000")) s = s.replace(NUL, ""); // Postgres text cannot hold NUL
  // order matters: backslashes first
  if (/[\\\n\r\t]/.test(s)) {
    s = s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
  }
  return s;
}

export function copyText(v: string | null | undefined): string {
  return v === null || v === undefined ? "\\N" : escapeText(v);
}

export function copyBool(v: boolean): string {
  return v ? "t" : "f";
}

export function copyInt(v: number): string {
  return String(v);
}

/** A text[] literal: {"a","b"} with quotes and backslashes escaped, then COPY-escaped as a whole. */
export function copyTextArray(values: readonly string[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ",";
    out += `"${(values[i] as string).replace(/[\\"]/g, "\\$&")}"`;
  }
  return escapeText(`${out}}`);
}

/**
 * JSON text for a jsonb value or parameter: a \u0000 escape (which jsonb rejects) is stripped from the strings
 * (and keys) that carry it, so report content never makes a write fail.
 */
export function jsonbText(value: unknown): string {
  const json = JSON.stringify(value ?? null);
  if (!json.includes("\\u0000")) return json;
  return JSON.stringify(value ?? null, function (this: unknown, _k, v) {
    if (typeof v === "string") return v.replace(NUL, "");
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k.replace(NUL, "")] = x;
      return out;
    }
    return v;
  });
}

/** jsonb in COPY text format. */
export function copyJson(value: unknown): string {
  return escapeText(jsonbText(value));
}
