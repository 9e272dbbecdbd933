import type { FieldError } from "../errors.js";

/**
 * Input hygiene shared by every route: text that Postgres cannot store or compare (a NUL character) is
 * refused with 400 naming where it was, instead of reaching a query and failing there (500, or a 503 that a
 * collector would retry forever).
 */
export function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (depth > 64 || value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some((v) => hasNul(v, depth + 1));
  for (const [k, v] of Object.entries(value)) if (k.includes("\u0000") || hasNul(v, depth + 1)) return true;
  return false;
}

/** Each string (or key) holding a NUL, as `prefix.path.to.field`, at most `max` of them. */
export function nulFields(value: unknown, prefix: string, max = 20): FieldError[] {
  const out: FieldError[] = [];
  const visit = (v: unknown, path: string, depth: number): void => {
    if (out.length >= max) return;
    if (typeof v === "string") {
      if (v.includes("\u0000"))
        out.push({ location: path, message: "must not contain NUL (\\u0000) characters" });
      return;
    }
    if (depth > 64 || v === null || typeof v !== "object") return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        visit(x, `${path}.${i}`, depth + 1);
      });
      return;
    }
    for (const [k, x] of Object.entries(v)) {
      if (k.includes("\u0000"))
        out.push({ location: path, message: "a key contains a NUL (\\u0000) character" });
      else visit(x, `${path}.${k}`, depth + 1);
    }
  };
  visit(value, prefix, 0);
  return out;
}
