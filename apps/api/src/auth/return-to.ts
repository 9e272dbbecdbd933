/**
 * A redirect target after sign-in must be a path on this site: "/app/findings?x=1" yes; "https://evil",
 * "//evil", "/\\evil", "javascript:" no. Anything else falls back to the default. Resolved against a dummy
 * origin: a value that would leave it is refused.
 */
export const DEFAULT_RETURN_TO = "/v1/me";

export function safeReturnTo(value: unknown, fallback = DEFAULT_RETURN_TO): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2000) return fallback;
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return fallback;
  // control characters (tab, newline) are stripped by URL parsers and can turn "/\t/evil" into "//evil"
  for (const ch of value) if (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f) return fallback;
  const base = "https://bulwark.invalid";
  try {
    const u = new URL(value, base);
    if (u.origin !== base) return fallback;
    return `${u.pathname}${u.search}${u.hash}`;
  } catch {
    return fallback;
  }
}
