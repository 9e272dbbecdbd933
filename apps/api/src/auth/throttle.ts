import { sha256Hex } from "@bulwark/runtime";
import type { AppDeps } from "../env.js";
import { ApiError } from "../errors.js";

/**
 * Failed password sign-ins counted per account (the e-mail, hashed) and per client address in a fixed window
 * (Redis). At the limit, sign-in answers 429 with Retry-After before the password is even checked. A success
 * clears the account's count. Unlike upload rate limits this fails closed: without Redis, no password sign-in
 * (503), since unthrottled guessing is the worse outcome.
 */
function keys(deps: AppDeps, email: string, ip: string | null) {
  const p = `${deps.config.QUEUE_PREFIX}:login-fail`;
  return { account: `${p}:acct:${sha256Hex(email.toLowerCase())}`, ip: `${p}:ip:${ip ?? "unknown"}` };
}

function unavailable(): ApiError {
  return new ApiError("unavailable", "sign-in is unavailable right now (throttling store unreachable)", {
    retryAfter: 5,
  });
}

export async function checkThrottle(deps: AppDeps, email: string, ip: string | null): Promise<void> {
  const { config, redis } = deps;
  const k = keys(deps, email, ip);
  let counts: [number, number, number, number];
  try {
    const r = await redis.multi().get(k.account).pttl(k.account).get(k.ip).pttl(k.ip).exec();
    if (!r) throw new Error("transaction aborted");
    counts = r.map(([e, v]) => {
      if (e) throw e;
      return Number(v ?? 0);
    }) as [number, number, number, number];
  } catch {
    throw unavailable();
  }
  const [acct, acctTtl, byIp, ipTtl] = counts;
  const over =
    acct >= config.LOGIN_MAX_FAILURES_PER_ACCOUNT
      ? { what: "this account", ttl: acctTtl }
      : byIp >= config.LOGIN_MAX_FAILURES_PER_IP
        ? { what: "your address", ttl: ipTtl }
        : null;
  if (over) {
    const retryAfter = Math.max(1, Math.ceil(over.ttl / 1000));
    throw new ApiError(
      "rate_limited",
      `too many failed sign-ins for ${over.what}; try again in ${retryAfter} s`,
      {
        retryAfter,
      },
    );
  }
}

export async function recordFailure(deps: AppDeps, email: string, ip: string | null): Promise<void> {
  const k = keys(deps, email, ip);
  const windowMs = deps.config.LOGIN_THROTTLE_WINDOW_MINUTES * 60_000;
  try {
    await deps.redis
      .multi()
      .incr(k.account)
      .pexpire(k.account, windowMs, "NX")
      .incr(k.ip)
      .pexpire(k.ip, windowMs, "NX")
      .exec();
  } catch {
    throw unavailable();
  }
}

export async function clearAccountFailures(deps: AppDeps, email: string): Promise<void> {
  await deps.redis.del(keys(deps, email, null).account).catch(() => {});
}
