import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { call } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("operations", () => {
  it("/healthz answers without dependencies", async () => {
    const res = await call(h.app, "GET", "/healthz");
    expect(res).toMatchObject({ status: 200, body: { status: "ok" } });
  });

  it("/readyz probes Postgres and Redis", async () => {
    const res = await call(h.app, "GET", "/readyz");
    expect(res.body).toEqual({ status: "ok", checks: { database: "ok", redis: "ok" } });
  });

  it("/readyz answers 503 naming the failed dependency", async () => {
    const { createRedis } = await import("@bulwark/runtime");
    const dead = createRedis("redis://127.0.0.1:1", "producer");
    try {
      const app = createApp({ ...h.deps, redis: dead });
      const res = await call<{ detail: string; checks: Record<string, string> }>(app, "GET", "/readyz");
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(res.body.detail).toBe("not ready: redis failed");
      expect(res.body.checks.database).toBe("ok");
    } finally {
      dead.disconnect();
    }
  });

  it("/metrics exposes request counts, durations and process metrics", async () => {
    await call(h.app, "GET", "/healthz");
    const res = await h.app.request("/metrics");
    const text = await res.text();
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(text).toMatch(/bulwark_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(text).toContain("bulwark_http_request_duration_seconds_bucket");
    expect(text).toContain("process_cpu_user_seconds_total");
  });

  it("/metrics shows the normalization backlog read from the queue", async () => {
    await h.deps.queue.add(
      "normalize-report",
      { tenantId: "ten_x", reportId: "rpt_metrics" },
      { jobId: "report-rpt_metrics" },
    );
    const text = await (await h.app.request("/metrics")).text();
    expect(text).toMatch(/bulwark_queue_jobs\{queue="reports",state="waiting"\} 1/);
    expect(text).toMatch(/bulwark_queue_jobs\{queue="reports",state="failed"\} 0/);
  });
});

describe("errors and routing", () => {
  it("404 and 405 are problem+json; 405 lists the allowed methods", async () => {
    const missing = await call(h.app, "GET", "/v1/nothing");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
    const wrong = await call(h.app, "PUT", "/v1/clusters");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, POST");
    expect(wrong.body).toMatchObject({
      status: 405,
      type: "https://bulwark.dev/problems/method_not_allowed",
    });
  });

  it("echoes a sane X-Request-Id and replaces an unsafe one", async () => {
    const mine = await call(h.app, "GET", "/v1/nothing", { headers: { "x-request-id": "abc-123" } });
    expect(mine.headers.get("x-request-id")).toBe("abc-123");
    expect(mine.body.requestId).toBe("abc-123");
    const unsafe = await call(h.app, "GET", "/healthz", { headers: { "x-request-id": "a b\tc" } });
    expect(unsafe.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("documentation", () => {
  it("/openapi.json is OpenAPI 3.1 with every route and its error responses", async () => {
    const res = await call<{
      openapi: string;
      info: { description: string };
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    }>(h.app, "GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(res.body.info.description).toContain("The string to sign");
    const routes = Object.entries(res.body.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(routes.sort()).toEqual(
      [
        "POST /admin/v1/tenants",
        "POST /v1/clusters",
        "GET /v1/clusters",
        "POST /v1/clusters/{id}/keys",
        "GET /v1/clusters/{id}/keys",
        "DELETE /v1/clusters/{id}/keys/{keyId}",
        "POST /v1/tokens",
        "GET /v1/tokens",
        "DELETE /v1/tokens/{id}",
        "POST /v1/reports",
        "GET /v1/reports",
        "GET /v1/reports/{id}",
        "GET /v1/findings",
        "GET /v1/findings/{id}",
        "GET /v1/findings/summary",
        "GET /v1/findings/groups",
        "GET /v1/findings/export",
        "GET /v1/changes",
        "GET /v1/posture/history",
        "GET /v1/sla",
        "GET /v1/sla/policy",
        "PUT /v1/sla/policy",
        "GET /v1/compliance/nist-800-204",
        "POST /v1/suppressions",
        "GET /v1/suppressions",
        "DELETE /v1/suppressions/{id}",
        "GET /v1/posture",
        "GET /v1/taxonomy",
        "GET /v1/taxonomy/unmapped",
        "GET /v1/clusters/{id}/mesh-coverage",
        "GET /v1/mesh-coverage",
        "GET /v1/compliance",
        "GET /v1/clusters/{id}/compliance",
        "POST /v1/notification-rules",
        "GET /v1/notification-rules",
        "GET /v1/notification-rules/{id}",
        "PATCH /v1/notification-rules/{id}",
        "DELETE /v1/notification-rules/{id}",
        "POST /v1/notification-rules/{id}/send",
        "GET /v1/notification-rules/{id}/preview",
        "GET /v1/notification-rules/{id}/deliveries",
        "GET /schemas/notification-webhook.v1.json",
        "GET /healthz",
        "GET /readyz",
        "GET /metrics",
        "GET /openapi.json",
        "GET /docs",
      ].sort(),
    );
    const ingest = res.body.paths["/v1/reports"]?.post?.responses ?? {};
    expect(Object.keys(ingest).sort()).toEqual([
      "200",
      "202",
      "400",
      "401",
      "413",
      "415",
      "429",
      "500",
      "503",
    ]);
    expect(Object.keys(res.body.paths["/v1/findings/{id}"]?.get?.responses ?? {})).toEqual(
      expect.arrayContaining(["200", "401", "403", "404"]),
    );
  });

  it("/docs is a self-contained HTML page", async () => {
    const res = await h.app.request("/docs");
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(html).toContain('fetch("/openapi.json")');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
  });
});
