import { Redis, type RedisOptions } from "ioredis";

/**
 * Producers (the API) fail fast so a request can answer 503; workers block and retry forever
 * (maxRetriesPerRequest: null is what BullMQ requires of worker connections).
 */
export function createRedis(url: string, role: "producer" | "worker"): Redis {
  const opts: RedisOptions =
    role === "producer"
      ? { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, lazyConnect: false }
      : { maxRetriesPerRequest: null, enableReadyCheck: false };
  const r = new Redis(url, opts);
  r.on("error", () => {}); // reported through readiness and the failing call, not as an unhandled event
  return r;
}
