import { pingDb } from "@bulwark/runtime";
import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.js";
import { ApiError } from "../../errors.js";
import { json, problems } from "../../openapi/common.js";

const PROBE_TIMEOUT_MS = 2_000;

const Checks = z.object({ database: z.string(), redis: z.string() });

export const route = createRoute({
  method: "get",
  operationId: "getReadiness",
  path: "/readyz",
  tags: ["operations"],
  security: [],
  summary: "Readiness: Postgres (select 1) and Redis (PING) answer",
  description: "503 is a problem+json whose `checks` member says which dependency failed.",
  responses: {
    200: json(z.object({ status: z.literal("ok"), checks: Checks }), "Ready"),
    ...problems("unavailable"),
  },
});

async function probe(fn: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([fn(), timeout]);
    return "ok";
  } catch (e) {
    return `failed: ${(e as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
}

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { pool, redis } = c.get("deps");
  const [database, redisCheck] = await Promise.all([probe(() => pingDb(pool)), probe(() => redis.ping())]);
  const checks = { database, redis: redisCheck };
  if (database !== "ok" || redisCheck !== "ok") {
    const failed = Object.entries(checks)
      .filter(([, v]) => v !== "ok")
      .map(([k]) => k);
    throw new ApiError("unavailable", `not ready: ${failed.join(", ")} failed`, {
      retryAfter: 5,
      members: { checks },
    });
  }
  return c.json({ status: "ok" as const, checks }, 200);
};
