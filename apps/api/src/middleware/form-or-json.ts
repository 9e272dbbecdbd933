import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { isCrossSite } from "../auth/cookies.js";
import type { AppEnv } from "../env.js";
import { ApiError } from "../errors.js";

const ACCEPTED = /^(application\/json|application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;
const MAX = 64 * 1024;

const limit = bodyLimit({
  maxSize: MAX,
  onError: () => {
    throw new ApiError("payload_too_large", "request body over 64 KiB");
  },
});

/**
 * The sign-in routes take a small body as JSON (scripts, the console's fetch) or as a form (a plain HTML form
 * posting here): anything else is 415, anything over 64 KiB 413. Which one it was decides the answer's form
 * (JSON, or a redirect).
 */
export const requireFormOrJsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const type = c.req.header("content-type");
  if (!type || !ACCEPTED.test(type)) {
    throw new ApiError(
      "unsupported_media_type",
      `Content-Type must be application/json or a form (got ${type ?? "none"})`,
    );
  }
  return limit(c, next);
};

/**
 * Sign-in posts have no session to hold a CSRF token yet; a cross-site one (Origin of another site, or
 * Sec-Fetch-Site: cross-site) is refused so no other site can sign a visitor into an account of its choosing.
 */
export const refuseCrossSite: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (isCrossSite(c)) throw new ApiError("forbidden", "cross-site request refused (CSRF)");
  await next();
};
