import { Writable } from "node:stream";
import { type Config, createLogger, createRedis, createReportQueue, type Logger } from "@bulwark/runtime";
import { pino } from "pino";
import { createTestContext, type TestContext } from "../../../../test/support/context.js";
import { createApp } from "../../src/app.js";
import type { AppDeps } from "../../src/env.js";

export type TestApp = ReturnType<typeof createApp>;

export interface Harness {
  ctx: TestContext;
  app: TestApp;
  deps: AppDeps;
  /** every log line the app wrote, when created with captureLogs */
  logs: string[];
  close(): Promise<void>;
}

/**
 * A pino logger at debug level writing into an array. Deliberately without redaction: the tests then prove
 * the app never hands a secret to the logger at all, not merely that redaction caught it.
 */
function capturingLogger(lines: string[]): Logger {
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return pino({ level: "debug" }, stream);
}

/** Real Postgres (a database of its own) and Redis (a queue prefix of its own), a real app on top. */
export async function createHarness(
  overrides: Partial<Config> = {},
  opts: { captureLogs?: boolean } = {},
): Promise<Harness> {
  const ctx = await createTestContext(overrides);
  const logs: string[] = [];
  const logger = opts.captureLogs ? capturingLogger(logs) : createLogger("silent");
  const redis = createRedis(ctx.config.REDIS_URL, "producer");
  const queue = createReportQueue(redis, ctx.config.QUEUE_PREFIX);
  await queue.waitUntilReady();
  const deps: AppDeps = { config: ctx.config, pool: ctx.pool, redis, queue, logger };
  const app = createApp(deps);
  return {
    ctx,
    app,
    deps,
    logs,
    async close() {
      await queue.close();
      redis.disconnect();
      await ctx.close();
    },
  };
}
