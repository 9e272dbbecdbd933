import { createHmac } from "node:crypto";
import { constantTimeEqual } from "@bulwark/runtime";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../env.js";

/**
 * Cookies of the browser session. `__Host-` names (Secure, Path=/, no Domain: no subdomain can set or read
 * them). The session cookie is HttpOnly and SameSite=Lax; the CSRF cookie is readable by the page's own script
 * (double submit), and useless to another site, which can neither read it nor compute it.
 */
const SESSION = "bulwark_session";
const CSRF = "bulwark_csrf";
export const SESSION_COOKIE = `__Host-${SESSION}`;
export const CSRF_COOKIE = `__Host-${CSRF}`;
/** the CSRF token travels in this header (fetch) or this form field (server-rendered forms) */
export const CSRF_HEADER = "x-csrf-token";
export const CSRF_FIELD = "_csrf";

export function readSessionCookie(c: Context<AppEnv>): string | undefined {
  return getCookie(c, SESSION, "host");
}

/**
 * The session's CSRF token: an HMAC of the session id under a key derived from SECRETS_KEY. Nothing to store,
 * different per session, and it changes whenever the session does (sign-in, switching tenant re-issues both).
 */
export function csrfTokenFor(secretsKey: string, sessionId: string): string {
  const key = createHmac("sha256", Buffer.from(secretsKey, "base64")).update("bulwark-csrf-v1").digest();
  return createHmac("sha256", key).update(sessionId).digest("base64url");
}

export function setSessionCookies(
  c: Context<AppEnv>,
  s: { token: string; csrfToken: string; expiresAt: Date },
): void {
  const maxAge = Math.max(0, Math.floor((s.expiresAt.getTime() - Date.now()) / 1000));
  const common = { path: "/", secure: true, sameSite: "Lax", maxAge, prefix: "host" } as const;
  setCookie(c, SESSION, s.token, { ...common, httpOnly: true });
  setCookie(c, CSRF, s.csrfToken, { ...common, httpOnly: false });
}

export function clearSessionCookies(c: Context<AppEnv>): void {
  for (const name of [SESSION, CSRF]) {
    deleteCookie(c, name, { path: "/", secure: true, prefix: "host" });
  }
}

/** The origin this API is reached at: PUBLIC_URL when configured, else the request's own. */
export function publicOrigin(c: Context<AppEnv>): string {
  const configured = c.get("deps").config.PUBLIC_URL;
  return new URL(configured ?? c.req.url).origin;
}

/**
 * A browser request from another site: its Origin names another origin, or (older browsers send no Origin on
 * some requests) Sec-Fetch-Site says cross-site. Requests from non-browser clients carry neither.
 */
export function isCrossSite(c: Context<AppEnv>): boolean {
  const origin = c.req.header("origin");
  if (origin !== undefined) return origin !== publicOrigin(c);
  return c.req.header("sec-fetch-site") === "cross-site";
}

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/** The CSRF token the request presents: the header, else the `_csrf` field of a form body. */
export async function presentedCsrf(c: Context<AppEnv>): Promise<string | undefined> {
  const header = c.req.header(CSRF_HEADER);
  if (header) return header;
  if (FORM_TYPES.test(c.req.header("content-type") ?? "")) {
    // hono caches the parsed body: the route's own form validator reads the same one
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const value = form[CSRF_FIELD];
    return typeof value === "string" ? value : undefined;
  }
  return undefined;
}

export function csrfMatches(expected: string, presented: string | undefined): boolean {
  return presented !== undefined && constantTimeEqual(expected, presented);
}
