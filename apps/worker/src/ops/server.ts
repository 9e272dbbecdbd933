/**
 * The worker's own small HTTP listener (METRICS_PORT): /healthz (the process answers), /readyz (Postgres and
 * Redis answer) and /metrics (Prometheus). For the kubelet's probes and the scraper only; it logs nothing per
 * request, and a taken port is a start-up error naming METRICS_PORT.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pingDb, type RedisClient } from "@bulwark/runtime";
import type pg from "pg";
import type { Registry } from "prom-client";

const PROBE_TIMEOUT_MS = 2_000;

export interface OpsServer {
  url: string;
  close(): Promise<void>;
}

async function probe(fn: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)),
          PROBE_TIMEOUT_MS,
        );
      }),
    ]);
    return "ok";
  } catch (e) {
    return `failed: ${(e as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
}

export async function startOpsServer(opts: {
  port: number;
  host?: string | undefined;
  pool: pg.Pool;
  redis: RedisClient;
  registry: Registry;
}): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(body);
    };
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET") return send(405, "text/plain", "method not allowed\n");
    if (path === "/healthz") return send(200, "application/json", '{"status":"ok"}');
    if (path === "/readyz") {
      void Promise.all([probe(() => pingDb(opts.pool)), probe(() => opts.redis.ping())]).then(
        ([database, redis]) => {
          const ok = database === "ok" && redis === "ok";
          send(
            ok ? 200 : 503,
            "application/json",
            JSON.stringify({ status: ok ? "ok" : "unavailable", checks: { database, redis } }),
          );
        },
      );
      return;
    }
    if (path === "/metrics") {
      opts.registry.metrics().then(
        (text) => send(200, opts.registry.contentType, text),
        (e: Error) => send(500, "text/plain", `metrics failed: ${e.message}\n`),
      );
      return;
    }
    send(404, "text/plain", "not found: /healthz, /readyz or /metrics\n");
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        new Error(
          e.code === "EADDRINUSE"
            ? `the worker's metrics port ${opts.port} is taken: set METRICS_PORT to a free port`
            : `the worker's metrics port ${opts.port}: ${e.message}; check METRICS_PORT and HOST`,
        ),
      ),
    );
    server.listen(opts.port, opts.host, () => resolve((server.address() as AddressInfo).port));
  });
  const host = !opts.host || opts.host === "0.0.0.0" || opts.host === "::" ? "127.0.0.1" : opts.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
