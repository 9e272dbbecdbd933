import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type RetryPolicy, sendWithRetry } from "../src/retry.js";
import { encodeEnvelope } from "../src/upload.js";

/** A server that answers each POST with the next scripted response, and remembers what it was sent. */
async function scripted(responses: { status: number; headers?: Record<string, string>; body?: unknown }[]) {
  const seen: { nonce: string; signature: string }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on("end", () => {
      seen.push({
        nonce: String(req.headers["x-bulwark-nonce"]),
        signature: String(req.headers["x-bulwark-signature"]),
      });
      const next = responses[Math.min(seen.length - 1, responses.length - 1)] ?? { status: 500 };
      res.writeHead(next.status, { "content-type": "application/json", ...next.headers });
      res.end(JSON.stringify(next.body ?? {}));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url, seen };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

const policy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 1000,
  maxDelayMs: 8000,
  maxRetryAfterMs: 60_000,
  timeoutMs: 5000,
};
const encoded = encodeEnvelope({
  schemaVersion: 1,
  source: "kube-bench",
  collectedAt: "2026-11-23T10:00:00Z",
  report: {},
});
const creds = { keyId: "key_test", secret: "bws_test-secret" };

function fakeTime(random = 0.5) {
  const sleeps: number[] = [];
  return {
    sleeps,
    deps: {
      sleep: async (ms: number) => {
        sleeps.push(ms);
      },
      random: () => random,
      now: () => Date.UTC(2026, 10, 23, 10),
    },
  };
}

describe("sendWithRetry", () => {
  it("waits at least Retry-After on 429, then succeeds, signing each attempt anew", async () => {
    const s = await scripted([
      { status: 429, headers: { "retry-after": "7" }, body: { title: "Too Many Requests", status: 429 } },
      { status: 202, body: { reportId: "rpt_1", status: "queued", duplicate: false } },
    ]);
    const t = fakeTime(0.5);
    const r = await sendWithRetry(encoded, { baseUrl: s.url, ...creds }, policy, t.deps);
    expect(r).toMatchObject({ ok: true, status: 202, attempts: 2 });
    expect(t.sleeps).toHaveLength(1);
    // 7 s demanded by the server, plus full jitter (0.5 × 1 s) so a fleet does not come back in step
    expect(t.sleeps[0]).toBe(7000 + 500);
    expect(new Set(s.seen.map((x) => x.nonce)).size).toBe(2);
    expect(s.seen[0]?.signature).not.toBe(s.seen[1]?.signature);
  });

  it("retries 5xx with capped exponential backoff and full jitter, then succeeds", async () => {
    const s = await scripted([
      { status: 500 },
      { status: 502 },
      { status: 503 },
      { status: 200, body: { reportId: "rpt_0", duplicate: true } },
    ]);
    const t = fakeTime(0.99);
    const r = await sendWithRetry(encoded, { baseUrl: s.url, ...creds }, policy, t.deps);
    expect(r).toMatchObject({ ok: true, status: 200, attempts: 4 });
    expect(t.sleeps).toEqual([990, 1980, 3960]);
  });

  it("caps the backoff at maxDelayMs", async () => {
    const s = await scripted([{ status: 500 }]);
    const t = fakeTime(0.999_999);
    const r = await sendWithRetry(
      encoded,
      { baseUrl: s.url, ...creds },
      { ...policy, maxAttempts: 6, maxDelayMs: 3000 },
      t.deps,
    );
    expect(r).toMatchObject({ ok: false, status: 500, attempts: 6 });
    expect(r.ok === false && r.reason).toMatch(/^gave up after 6 attempts: 500/);
    expect(Math.max(...t.sleeps)).toBeLessThanOrEqual(3000);
    expect(s.seen).toHaveLength(6);
  });

  it("never retries a 400, and reports the problem's fields in one line", async () => {
    const problem = {
      type: "about:blank",
      title: "Bad Request",
      status: 400,
      detail: "the envelope does not match the schema",
      requestId: "req_1",
      errors: [{ location: "body.source", message: "Invalid option" }],
    };
    const s = await scripted([{ status: 400, body: problem }]);
    const t = fakeTime();
    const r = await sendWithRetry(encoded, { baseUrl: s.url, ...creds }, policy, t.deps);
    expect(r).toMatchObject({ ok: false, status: 400, attempts: 1 });
    expect(r.ok === false && r.reason).toBe(
      "400 Bad Request: the envelope does not match the schema [body.source: Invalid option] (request req_1)",
    );
    expect(r.ok === false && r.reason).not.toContain("\n");
    expect(s.seen).toHaveLength(1);
    expect(t.sleeps).toEqual([]);
  });

  it("never retries 401 or 413 either", async () => {
    for (const status of [401, 413]) {
      const s = await scripted([{ status, body: { title: "no", status } }]);
      const r = await sendWithRetry(encoded, { baseUrl: s.url, ...creds }, policy, fakeTime().deps);
      expect(r).toMatchObject({ ok: false, status, attempts: 1 });
    }
  });

  it("retries network errors and gives up with the cause", async () => {
    const s = await scripted([{ status: 202 }]);
    await closers.pop()?.(); // nothing listens there any more
    const t = fakeTime();
    const r = await sendWithRetry(
      encoded,
      { baseUrl: s.url, ...creds },
      { ...policy, maxAttempts: 3 },
      t.deps,
    );
    expect(r).toMatchObject({ ok: false, attempts: 3 });
    expect(r.ok === false && r.reason).toMatch(/gave up after 3 attempts: network error: ECONNREFUSED/);
    expect(t.sleeps).toHaveLength(2);
  });

  it("does not block a run on a Retry-After beyond its limit", async () => {
    const s = await scripted([
      {
        status: 503,
        headers: { "retry-after": "3600" },
        body: { title: "Service Unavailable", status: 503 },
      },
    ]);
    const t = fakeTime();
    const r = await sendWithRetry(encoded, { baseUrl: s.url, ...creds }, policy, t.deps);
    expect(r).toMatchObject({ ok: false, status: 503, attempts: 1 });
    expect(r.ok === false && r.reason).toContain("asked to wait 3600 s");
    expect(t.sleeps).toEqual([]);
  });
});
