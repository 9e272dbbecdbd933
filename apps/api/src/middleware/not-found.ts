import type { Context } from "hono";
import type { AppEnv } from "../env.js";
import { ApiError, problemResponse } from "../errors.js";

interface RoutePattern {
  method: string;
  regex: RegExp;
}

function compile(routes: readonly { method: string; path: string }[]): RoutePattern[] {
  return routes
    .filter((r) => r.method !== "ALL")
    .map((r) => {
      const source = r.path
        .split("/")
        .map((seg) => (seg.startsWith(":") ? "[^/]+" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
        .join("/");
      return { method: r.method, regex: new RegExp(`^${source}/?$`) };
    });
}

/**
 * hono answers unmatched requests here; a path that exists under another method is a 405 with `Allow`
 * (RFC 9110), anything else a 404, both as problem+json.
 */
export function notFoundHandler(routes: () => readonly { method: string; path: string }[]) {
  let patterns: RoutePattern[] | undefined;
  return (c: Context<AppEnv>): Response => {
    patterns ??= compile(routes());
    const path = c.req.path;
    const allowed = [...new Set(patterns.filter((p) => p.regex.test(path)).map((p) => p.method))];
    const requestId = c.get("requestId");
    if (allowed.length > 0) {
      c.set("routeLabel", "(method not allowed)");
      const allow = allowed.sort().join(", ");
      const error = new ApiError("method_not_allowed", `${c.req.method} is not allowed here; use ${allow}`, {
        headers: { allow },
      });
      return problemResponse(error, requestId);
    }
    c.set("routeLabel", "(not found)");
    return problemResponse(new ApiError("not_found", `no route for ${c.req.method} ${path}`), requestId);
  };
}
