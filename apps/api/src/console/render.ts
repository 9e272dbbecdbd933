import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../env.js";

/**
 * Every console answer carries this policy: scripts, styles and images from Bulwark only (no inline script,
 * no CDN), frames of our own pages only (the e-mail preview), forms posting here only.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "frame-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

export function securityHeaders(c: Context<AppEnv>, csp = CONSOLE_CSP): void {
  c.header("content-security-policy", csp);
  c.header("x-content-type-options", "nosniff");
  c.header("referrer-policy", "same-origin");
  c.header("cache-control", "no-store");
}

/** A rendered page (a hono JSX node, sync) with the doctype and the console's headers. */
export function page(c: Context<AppEnv>, node: unknown, status: ContentfulStatusCode = 200) {
  securityHeaders(c);
  return c.html(`<!doctype html>${String(node)}`, status);
}

/** After a form post: back to a page (Post/Redirect/Get), with a one-line notice in the query. */
export function redirectWith(c: Context<AppEnv>, path: string, notice?: string) {
  if (!notice) return c.redirect(path, 303);
  const sep = path.includes("?") ? "&" : "?";
  return c.redirect(`${path}${sep}notice=${encodeURIComponent(notice)}`, 303);
}
