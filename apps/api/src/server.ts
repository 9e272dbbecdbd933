import type { AddressInfo } from "node:net";
import { type Config, createAppPool, createRedis, createReportQueue, type Logger } from "@bulwark/runtime";
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import type { AppDeps } from "./env.js";
import { closeNotifyQueue } from "./services/notification-rules/queue.js";

export { createApp } from "./app.js";
export type { AppDeps } from "./env.js";

/** In-flight requests get this long to finish on shutdown before their connections are cut. */
const DRAIN_TIMEOUT_MS = 10_000;

export interface RunningApi {
  server: ReturnType<typeof serve>;
  /** http://127.0.0.1:<port>, the port chosen by the OS when PORT is 0 */
  url: string;
  /** stop accepting, drain in-flight requests, then close the queue, Redis and the pool */
  close(): Promise<void>;
}

export function createDeps(config: Config, logger: Logger): AppDeps {
  const pool = createAppPool(config.DATABASE_URL, { applicationName: "bulwark-api" });
  const redis = createRedis(config.REDIS_URL, "producer");
  const queue = createReportQueue(redis, config.QUEUE_PREFIX);
  return { config, pool, redis, queue, logger: logger.child({ app: "api" }) };
}

/** Start the HTTP server; resolves once it listens. Used by index.ts, `npm start`, the demo and e2e tests. */
export async function startApi(config: Config, logger: Logger): Promise<RunningApi> {
  const deps = createDeps(config, logger);
  const app = createApp(deps);
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve) => {
      const s = serve({ fetch: app.fetch, port: config.PORT }, (info: AddressInfo) =>
        resolve({ server: s, port: info.port }),
      );
    },
  );
  deps.logger.info({ port }, "api listening");
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await new Promise<void>((resolve) => {
        // closeIdleConnections lets keep-alive sockets go now; busy ones finish their request first
        const timer = setTimeout(() => {
          if ("closeAllConnections" in server) server.closeAllConnections();
          resolve();
        }, DRAIN_TIMEOUT_MS);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        if ("closeIdleConnections" in server) server.closeIdleConnections();
      });
      await deps.queue.close().catch(() => {});
      await closeNotifyQueue(deps).catch(() => {});
      await deps.redis.quit().catch(() => deps.redis.disconnect());
      await deps.pool.end();
      deps.logger.info("api stopped");
    })();
    return closing;
  };
  return { server, url: `http://127.0.0.1:${port}`, close };
}
