import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../env.js";
import { ApiError } from "../errors.js";

const JSON_TYPE = /^application\/json\s*(;|$)/i;
const MAX_JSON_BODY = 1024 * 1024;

const limit = bodyLimit({
  maxSize: MAX_JSON_BODY,
  onError: () => {
    throw new ApiError("payload_too_large", "request body over 1 MiB");
  },
});

/** Management routes take small JSON bodies: anything else is 415, anything over 1 MiB is 413. */
export const requireJsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const type = c.req.header("content-type");
  if (!type || !JSON_TYPE.test(type)) {
    throw new ApiError(
      "unsupported_media_type",
      `Content-Type must be application/json (got ${type ?? "none"})`,
    );
  }
  return limit(c, next);
};
