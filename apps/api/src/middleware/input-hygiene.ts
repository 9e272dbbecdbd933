import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.js";
import type { FieldError } from "../errors.js";
import { validationError } from "../validation.js";

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

/**
 * Before any route: every query parameter and the path must be well-formed percent-encoding without NUL
 * characters. Routes added later get this for free; their zod schemas then check meaning (dates, enums).
 */
export const inputHygiene: MiddlewareHandler<AppEnv> = async (c, next) => {
  const url = c.req.url;
  const q = url.indexOf("?");
  const pathEnd = q >= 0 ? q : url.length;
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const rawPath = start >= 0 && start < pathEnd ? url.slice(start, pathEnd) : "/";
  const errors: FieldError[] = [];
  const path = decode(rawPath);
  if (path === undefined) errors.push({ location: "path", message: "malformed percent-encoding" });
  else if (path.includes("\u0000")) errors.push({ location: "path", message: "must not contain NUL (%00)" });
  if (q >= 0) {
    const hash = url.indexOf("#", q);
    const query = url.slice(q + 1, hash >= 0 ? hash : url.length);
    for (const pair of query.split("&")) {
      if (pair === "") continue;
      const eq = pair.indexOf("=");
      const rawKey = eq >= 0 ? pair.slice(0, eq) : pair;
      const key = decode(rawKey) ?? rawKey;
      const value = decode(eq >= 0 ? pair.slice(eq + 1) : "");
      const name = key.split("\u0000").join("\\0").slice(0, 64);
      if (value === undefined || decode(rawKey) === undefined)
        errors.push({ location: `query.${name}`, message: "malformed percent-encoding" });
      else if (key.includes("\u0000") || value.includes("\u0000"))
        errors.push({ location: `query.${name}`, message: "must not contain NUL (%00)" });
      if (errors.length >= 20) break;
    }
  }
  if (errors.length > 0) throw validationError(errors);
  await next();
};
