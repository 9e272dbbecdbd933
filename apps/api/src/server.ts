import type { AddressInfo } from "node:net";
import {
  type Config,
  createAppPool,
  createMailer,
  createRedis,
  createReportQueue,
  type Logger,
} from "@bulwark/runtime";
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import type { AppDeps } from "./env.js";
import { sharedInspectPool } from "./ingest/scan/shared.js";
import { closeNotifyQueue } from "./services/notification-rules/queue.js";

export { createApp } from "./app.js";
export type { AppDeps } from "./env.js";
export { signInLinkFor } from "./services/sign-in-links/create.js";

/** In-flight requests get this long to finish on shutdown before their connections are cut. */
const DRAIN_TIMEOUT_MS = 10_000;

export interface RunningApi {
  server: ReturnType<typeof serve>;
  /** http://<HOST, or 127.0.0.1 when listening on every interface>:<port>, the port chosen by the OS when PORT is 0 */
  url: string;
  /** stop accepting, drain in-flight requests, then close the queue, Redis and the pool */
  close(): Promise<void>;
}

export function createDeps(config: Config, logger: Logger): AppDeps {
  const pool = createAppPool(config.DATABASE_URL, {
    applicationName: "bulwark-api",
    max: config.DB_POOL_MAX,
    jit: false,
  });
  const redis = createRedis(config.REDIS_URL, "producer", { cluster: config.REDIS_CLUSTER });
  const queue = createReportQueue(redis, config.QUEUE_PREFIX);
  const mailer = createMailer(config);
  return { config, pool, redis, queue, mailer, logger: logger.child({ app: "api" }) };
}

/** The API could not listen: a taken port or an address it cannot bind. The message names the setting. */
export class ListenError extends Error {}

function listenProblem(e: NodeJS.ErrnoException, config: Config): string {
  const where = `${config.HOST ?? "every interface"} port ${config.PORT}`;
  if (e.code === "EADDRINUSE") return `cannot listen on ${where}: the port is taken; set PORT to a free port`;
  if (e.code === "EACCES") return `cannot listen on ${where}: permission denied; set PORT above 1023`;
  if (e.code === "EADDRNOTAVAIL" || e.code === "ENOTFOUND")
    return `cannot listen on ${where}: no such local address; set HOST to an address of this machine`;
  return `cannot listen on ${where}: ${e.message}`;
}

/** Start the HTTP server; resolves once it listens. Used by index.ts, `npm start`, the demo and e2e tests. */
export async function startApi(config: Config, logger: Logger): Promise<RunningApi> {
  const deps = createDeps(config, logger);
  const app = createApp(deps);
  let server: ReturnType<typeof serve>;
  let port: number;
  try {
    ({ server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
      (resolve, reject) => {
        const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info: AddressInfo) =>
          resolve({ server: s, port: info.port }),
        );
        s.once("error", (e: NodeJS.ErrnoException) => reject(new ListenError(listenProblem(e, config))));
      },
    ));
  } catch (e) {
    await deps.queue.close().catch(() => {});
    deps.redis.disconnect();
    await deps.pool.end().catch(() => {});
    throw e;
  }
  deps.logger.info({ port, host: config.HOST ?? null }, "api listening");
  // the ingest threads load and compile now rather than on the first upload
  sharedInspectPool(config.INGEST_THREADS).start();
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
      deps.mailer?.close();
      await deps.pool.end();
      deps.logger.info("api stopped");
    })();
    return closing;
  };
  const host = !config.HOST || config.HOST === "0.0.0.0" || config.HOST === "::" ? "127.0.0.1" : config.HOST;
  return { server, url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`, close };
}
