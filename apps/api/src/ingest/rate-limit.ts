import { type Logger, type RedisClient, safeError } from "@bulwark/runtime";
import { ApiError } from "../errors.js";

const WINDOW_MS = 60_000;
const REDIS_TIMEOUT_MS = 1_000;

export interface RateLimitInput {
  redis: RedisClient;
  logger: Logger;
  /** the deployment's Redis key prefix (QUEUE_PREFIX), so test runs and deployments never share counters */
  prefix: string;
  tenantId: string;
  clusterId: string;
  clusterPerMin: number;
  tenantPerMin: number;
  now?: number;
}

function withTimeout<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`redis did not answer within ${REDIS_TIMEOUT_MS} ms`)),
      REDIS_TIMEOUT_MS,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Fixed one-minute windows per cluster and per tenant (INCR + EXPIRE). When Redis is down the limiter fails
 * open with a warning: refusing every upload because a counter is unreachable would lose more than it protects.
 */
export async function checkRateLimits(input: RateLimitInput): Promise<void> {
  const now = input.now ?? Date.now();
  const window = Math.floor(now / WINDOW_MS);
  const clusterKey = `${input.prefix}:ratelimit:cluster:${input.clusterId}:${window}`;
  const tenantKey = `${input.prefix}:ratelimit:tenant:${input.tenantId}:${window}`;
  let counts: [number, number];
  try {
    const results = await withTimeout(
      input.redis
        .multi()
        .incr(clusterKey)
        .expire(clusterKey, 120)
        .incr(tenantKey)
        .expire(tenantKey, 120)
        .exec(),
    );
    const cluster = results?.[0]?.[1];
    const tenant = results?.[2]?.[1];
    if (typeof cluster !== "number" || typeof tenant !== "number") throw new Error("unexpected MULTI result");
    counts = [cluster, tenant];
  } catch (e) {
    input.logger.warn(
      { err: safeError(e), tenantId: input.tenantId },
      "rate limiter unavailable; failing open",
    );
    return;
  }
  const retryAfter = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
  if (counts[0] > input.clusterPerMin) {
    throw new ApiError(
      "rate_limited",
      `cluster over its limit of ${input.clusterPerMin} uploads per minute`,
      {
        retryAfter,
      },
    );
  }
  if (counts[1] > input.tenantPerMin) {
    throw new ApiError("rate_limited", `tenant over its limit of ${input.tenantPerMin} uploads per minute`, {
      retryAfter,
    });
  }
}
