import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import type { AppEnv } from "../env.js";

/**
 * The client's address: the socket peer, or with TRUST_PROXY_HOPS = n the n-th X-Forwarded-For entry from the
 * right (each trusted proxy appends the address it saw; entries further left are the client's to forge).
 */
export function clientIp(c: Context<AppEnv>): string | null {
  const hops = c.get("deps").config.TRUST_PROXY_HOPS;
  if (hops > 0) {
    const chain = (c.req.header("x-forwarded-for") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const entry = chain[chain.length - hops];
    if (entry) return entry.slice(0, 64);
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null; // no socket (app.request in tests)
  }
}
