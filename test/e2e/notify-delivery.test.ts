import { readFileSync } from "node:fs";
import { startApi } from "@bulwark/api/server";
import { uploadReport } from "@bulwark/collector";
import { createLogger } from "@bulwark/runtime";
import { JOBS, webhookPayloadSchema } from "@bulwark/schema";
import { startWorker } from "@bulwark/worker";
import { Queue } from "bullmq";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";
import { e2eClient } from "../support/e2e-client.js";
import { blockKitViolations, type Receiver, startReceiver } from "../support/receiver.js";
import { type SmtpSink, startSmtpSink } from "../support/smtp.js";

/**
 * Real channels end to end: the API writes rules and outbox rows, two real workers send through nodemailer to
 * a real SMTP server and over HTTP to a local receiver, and we count what arrived.
 */
const logger = createLogger("silent");
const bench = JSON.parse(readFileSync(new URL("../../samples/kube-bench.json", import.meta.url), "utf8"));
let ctx: TestContext;
let smtp: SmtpSink;
let receiver: Receiver;
let api: Awaited<ReturnType<typeof startApi>>;
const workers: Awaited<ReturnType<typeof startWorker>>[] = [];
const target = { url: "", token: "" };
const { call } = e2eClient(() => target);
let key: { keyId: string; secret: string };

beforeAll(async () => {
  smtp = await startSmtpSink();
  receiver = await startReceiver();
  ctx = await createTestContext({
    SMTP_URL: smtp.url,
    MAIL_FROM: "Bulwark <bulwark@notify.example>",
    NOTIFY_ALLOW_PRIVATE_NETWORKS: true,
    NOTIFY_RETRY_BASE_MS: 100,
    NOTIFY_MAX_ATTEMPTS: 3,
    NOTIFY_DISABLE_AFTER_FAILURES: 2,
    NOTIFY_SEND_TIMEOUT_MS: 3000,
    PUBLIC_URL: "https://bulwark.example.com",
  });
  api = await startApi(ctx.config, logger);
  workers.push(await startWorker(ctx.config, logger), await startWorker(ctx.config, logger));
  target.url = api.url;
  const t = await call<{ token: string }>("/admin/v1/tenants", {
    method: "POST",
    body: { name: "notify" },
    auth: ctx.config.ADMIN_TOKEN,
  });
  target.token = t.body.token;
  key = (
    await call<{ key: { keyId: string; secret: string } }>("/v1/clusters", {
      method: "POST",
      body: { name: "prod" },
    })
  ).body.key;
});
afterAll(async () => {
  for (const w of workers) await w.close();
  await api?.close();
  await ctx?.close();
  await smtp?.close();
  await receiver?.close();
});

const rule = (channel: unknown, over: Record<string, unknown> = {}) => ({
  name: "nightly",
  schedule: { cron: "0 3 * * *", timezone: "Europe/Berlin" },
  channel,
  ...over,
});

async function createRule(body: unknown): Promise<{ id: string; signingSecret?: string }> {
  const r = await call<{ id: string; signingSecret?: string }>("/v1/notification-rules", {
    method: "POST",
    body,
  });
  if (r.status !== 201) throw new Error(`rule: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

interface Delivery {
  id: string;
  status: string;
  attempts: number;
  responseCode: number | null;
  lastError: string | null;
  kind: string;
}

async function deliveries(ruleId: string): Promise<Delivery[]> {
  return (await call<{ items: Delivery[] }>(`/v1/notification-rules/${ruleId}/deliveries`)).body.items;
}

async function settled(ruleId: string, n: number, timeoutMs = 20_000): Promise<Delivery[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const items = await deliveries(ruleId);
    if (items.length >= n && items.every((d) => ["sent", "failed", "skipped"].includes(d.status)))
      return items;
    if (Date.now() > deadline) throw new Error(`deliveries still open: ${JSON.stringify(items)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("email over SMTP", () => {
  it("sends a period's summary once, readable as text and HTML, with a stable Message-ID", async () => {
    const before = smtp.messages.length;
    const r = await createRule(rule({ type: "email", to: ["secops@example.com", "lead@example.com"] }));
    const sent = await call<{ deliveryId: string }>(`/v1/notification-rules/${r.id}/send`, {
      method: "POST",
    });
    expect(sent.status).toBe(202);
    const [d] = await settled(r.id, 1);
    expect(d).toMatchObject({ status: "sent", attempts: 1, responseCode: 250, kind: "manual" });
    await pause(300);
    expect(smtp.messages.length - before).toBe(1);
    const m = smtp.messages.at(-1);
    expect(m?.subject).toMatch(/^\[Bulwark\] nightly: /);
    expect(m?.text).toContain("Bulwark summary — nightly");
    expect(m?.text).toContain("https://bulwark.example.com/v1/changes?since=");
    expect(m?.html).toContain("<h1");
    expect(m?.messageId).toBe(`<${sent.body.deliveryId}@notify.example>`);
    expect((m?.to as { value: { address: string }[] } | undefined)?.value.map((a) => a.address)).toEqual([
      "secops@example.com",
      "lead@example.com",
    ]);
  });

  it("two workers and a pile of duplicate ticks for one period send exactly one message", async () => {
    const before = smtp.messages.length;
    const r = await createRule(
      rule(
        { type: "email", to: ["team@example.com"] },
        { schedule: { cron: "*/5 * * * *", timezone: "UTC" } },
      ),
    );
    // the rule has been counting for an hour: the latest tick (settled) is owed
    await ctx.ownerPool.query(
      "update notification_rules set scheduled_from = now() - interval '1 hour' where id = $1",
      [r.id],
    );
    const queue = new Queue(JOBS.notifyTick.queue, {
      connection: ctx.redis,
      prefix: ctx.config.QUEUE_PREFIX,
    });
    const past = Date.now() - 120_000;
    const tenant = await tenantOf(r.id);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        queue.add(
          JOBS.notifyTick.name,
          { tenantId: tenant, ruleId: r.id },
          { jobId: JOBS.notifyTick.missedJobId(r.id, past + i) },
        ),
      ),
    );
    await queue.close();
    const items = await settled(r.id, 1);
    await pause(500);
    expect((await deliveries(r.id)).filter((d) => d.kind === "scheduled")).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: "sent", attempts: 1 });
    expect(smtp.messages.length - before).toBe(1);
  });

  it("a server that answers 451 and then accepts delivers once; 550 fails at once", async () => {
    const before = smtp.messages.length;
    const r = await createRule(rule({ type: "email", to: ["retry@example.com"] }));
    smtp.failNext(1, 451, "try again later");
    await call(`/v1/notification-rules/${r.id}/send`, { method: "POST" });
    const [d] = await settled(r.id, 1);
    expect(d).toMatchObject({ status: "sent", attempts: 2 });
    expect(smtp.messages.length - before).toBe(1);
    smtp.failNext(1, 550, "mailbox unavailable");
    await call(`/v1/notification-rules/${r.id}/send`, { method: "POST" });
    const after = await settled(r.id, 2);
    expect(after[0]).toMatchObject({ status: "failed", attempts: 1, responseCode: 550 });
    expect(after[0]?.lastError).toContain("mailbox unavailable");
  });
});

let tenantId = "";
async function tenantOf(ruleId: string): Promise<string> {
  if (tenantId) return tenantId;
  const r = await ctx.ownerPool.query<{ tenant_id: string }>(
    "select tenant_id from notification_rules where id = $1",
    [ruleId],
  );
  tenantId = r.rows[0]?.tenant_id ?? "";
  return tenantId;
}

describe("webhook", () => {
  it("a receiver that answers 500 and then 200 gets the summary once, signed, with one webhook-id", async () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const r = await createRule(rule({ type: "webhook", url: `${receiver.url}/hook`, secret }));
    const start = receiver.requests.length;
    receiver.script(500);
    await call(`/v1/notification-rules/${r.id}/send`, { method: "POST" });
    const [d] = await settled(r.id, 1);
    expect(d).toMatchObject({ status: "sent", attempts: 2, responseCode: 200 });
    const got = receiver.requests.slice(start);
    expect(got.map((x) => x.status)).toEqual([500, 200]);
    expect(new Set(got.map((x) => x.headers["webhook-id"]))).toEqual(new Set([d?.id]));
    const wh = new Webhook(secret);
    for (const x of got) {
      const payload = wh.verify(x.body, x.headers as Record<string, string>);
      expect(webhookPayloadSchema.safeParse(payload).success).toBe(true);
    }
    expect(() =>
      new Webhook("whsec_dGhlIHdyb25nIHNlY3JldCBmb3IgdGhpcyBob29r").verify(
        got[1]?.body ?? "",
        got[1]?.headers as Record<string, string>,
      ),
    ).toThrow();
    expect(JSON.parse(got[1]?.body ?? "{}")).toMatchObject({ type: "bulwark.summary", deliveryId: d?.id });
  });

  it("a channel that keeps failing disables the rule with a reason the tenant can read", async () => {
    const r = await createRule(rule({ type: "webhook", url: `${receiver.url}/gone` }));
    for (let i = 0; i < 2; i++) {
      receiver.script(404);
      await call(`/v1/notification-rules/${r.id}/send`, { method: "POST" });
      await settled(r.id, i + 1);
    }
    const got = await call<{ enabled: boolean; disabledReason: string }>(`/v1/notification-rules/${r.id}`);
    expect(got.body.enabled).toBe(false);
    expect(got.body.disabledReason).toMatch(
      /after 2 failed deliveries in a row through its webhook channel; the last error: HTTP 404/,
    );
    expect((await call(`/v1/notification-rules/${r.id}/send`, { method: "POST" })).status).toBe(409);
    const on = await call<{ enabled: boolean; disabledReason: null }>(`/v1/notification-rules/${r.id}`, {
      method: "PATCH",
      body: { enabled: true },
    });
    expect(on.body).toMatchObject({ enabled: true, disabledReason: null });
  });
});

describe("Slack", () => {
  it("posts Block Kit within Slack's limits", async () => {
    const r = await createRule(rule({ type: "slack", webhookUrl: `${receiver.url}/services/T/B/slack` }));
    const start = receiver.requests.length;
    await call(`/v1/notification-rules/${r.id}/send`, { method: "POST" });
    await settled(r.id, 1);
    const got = receiver.requests.slice(start);
    expect(got).toHaveLength(1);
    expect(got[0]?.path).toBe("/services/T/B/slack");
    expect(blockKitViolations(JSON.parse(got[0]?.body ?? "{}"))).toEqual([]);
  });
});

describe("instant alerts", () => {
  it("one message per report that brings new findings, never one per finding", async () => {
    const r = await createRule(
      rule({ type: "email", to: ["oncall@example.com"] }, { instant: { minSeverity: "low" } }),
    );
    const before = smtp.messages.length;
    const envelope = {
      schemaVersion: 1,
      source: "kube-bench",
      collectedAt: new Date().toISOString(),
      report: bench,
    };
    const up = await uploadReport(envelope, { baseUrl: api.url, ...key });
    expect(up.status).toBe(202);
    const [d] = await settled(r.id, 1, 30_000);
    expect(d).toMatchObject({ kind: "instant", status: "sent" });
    await pause(500);
    expect(smtp.messages.length - before).toBe(1);
    expect(smtp.messages.at(-1)?.subject).toMatch(/nightly: \d+ new findings in prod \(kube-bench\)/);
    // the same snapshot again: nothing new, no alert
    const again = await uploadReport(
      { ...envelope, collectedAt: new Date().toISOString(), report: { ...bench, rerun: 1 } },
      { baseUrl: api.url, ...key },
    );
    expect(again.status).toBe(202);
    await pause(2000);
    expect((await deliveries(r.id)).filter((x) => x.kind === "instant")).toHaveLength(1);
  });
});
