import { Cluster, type ClusterOptions, Redis, type RedisOptions } from "ioredis";

/** A standalone Redis or a Redis Cluster: everything Bulwark does with Redis works on either. */
export type RedisClient = Redis | Cluster;

/** REDIS_URL: one redis:// URL, or several separated by commas (the seed nodes of a Redis Cluster). */
export function redisNodes(url: string): URL[] {
  return url
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => new URL(s));
}

/** Cluster mode: REDIS_CLUSTER set, or REDIS_URL listing more than one node. */
export function isRedisCluster(url: string, clusterFlag = false): boolean {
  return clusterFlag || redisNodes(url).length > 1;
}

/**
 * Every key Bulwark writes starts with QUEUE_PREFIX. In a Redis Cluster a multi-key command (BullMQ's Lua
 * scripts, MULTI of the rate limiter and the sign-in throttle) must touch one hash slot, so the prefix must
 * carry a hash tag: `{bulwark}` hashes every key on "bulwark". The hash tag is the first `{…}` with at least
 * one character between the braces (Redis's rule).
 */
export function hashTag(prefix: string): string | null {
  const open = prefix.indexOf("{");
  if (open < 0) return null;
  const close = prefix.indexOf("}", open + 1);
  return close > open + 1 ? prefix.slice(open + 1, close) : null;
}

/**
 * Producers (the API) fail fast so a request can answer 503; workers block and retry forever
 * (maxRetriesPerRequest: null is what BullMQ requires of worker connections).
 */
export function createRedis(
  url: string,
  role: "producer" | "worker",
  opts: { cluster?: boolean } = {},
): RedisClient {
  const base: RedisOptions =
    role === "producer"
      ? { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, lazyConnect: false }
      : { maxRetriesPerRequest: null, enableReadyCheck: false };
  let r: RedisClient;
  if (isRedisCluster(url, opts.cluster)) {
    const nodes = redisNodes(url);
    const first = nodes[0] as URL; // redisNodes of a validated REDIS_URL has at least one entry
    const redisOptions: RedisOptions = {
      ...base,
      ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
      ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
      ...(first.protocol === "rediss:" ? { tls: {} } : {}),
    };
    const clusterOptions: ClusterOptions = {
      redisOptions,
      enableReadyCheck: role === "producer",
      ...(role === "producer" ? { enableOfflineQueue: false, lazyConnect: false } : {}),
    };
    r = new Cluster(
      nodes.map((n) => ({ host: n.hostname, port: Number(n.port || 6379) })),
      clusterOptions,
    );
  } else {
    r = new Redis(url, base);
  }
  r.on("error", () => {}); // reported through readiness and the failing call, not as an unhandled event
  return r;
}
