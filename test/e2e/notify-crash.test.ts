import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startApi } from "@bulwark/api/server";
import { createLogger } from "@bulwark/runtime";
import { startWorker } from "@bulwark/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";
import { e2eClient } from "../support/e2e-client.js";
import { type SmtpSink, startSmtpSink } from "../support/smtp.js";

/**
 * A worker process killed (SIGKILL) in the middle of an SMTP dialogue: the server never accepted the message,
 * the delivery's lease lapses, another worker takes the job over and the message arrives exactly once.
 */
const logger = createLogger("silent");
const root = fileURLToPath(new URL("../../", import.meta.url));
let ctx: TestContext;
let smtp: SmtpSink;
let api: Awaited<ReturnType<typeof startApi>>;
let child: ChildProcess | null = null;
let survivor: Awaited<ReturnType<typeof startWorker>> | null = null;
const target = { url: "", token: "" };
const { call } = e2eClient(() => target);

beforeAll(async () => {
  smtp = await startSmtpSink();
  ctx = await createTestContext({
    SMTP_URL: smtp.url,
    MAIL_FROM: "bulwark@crash.example",
    NOTIFY_SEND_TIMEOUT_MS: 1500,
    WORKER_LOCK_MS: 1000,
  });
  api = await startApi(ctx.config, logger);
  target.url = api.url;
  target.token = (
    await call<{ token: string }>("/admin/v1/tenants", {
      method: "POST",
      body: { name: "crash" },
      auth: ctx.config.ADMIN_TOKEN,
    })
  ).body.token;
});
afterAll(async () => {
  child?.kill("SIGKILL");
  await survivor?.close();
  await api?.close();
  await ctx?.close();
  await smtp?.close();
});

function startChildWorker(): ChildProcess {
  const c = ctx.config;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: c.DATABASE_URL,
    REDIS_URL: c.REDIS_URL,
    ADMIN_TOKEN: c.ADMIN_TOKEN,
    SECRETS_KEY: c.SECRETS_KEY,
    QUEUE_PREFIX: c.QUEUE_PREFIX,
    SMTP_URL: c.SMTP_URL,
    MAIL_FROM: c.MAIL_FROM,
    NOTIFY_SEND_TIMEOUT_MS: String(c.NOTIFY_SEND_TIMEOUT_MS),
    WORKER_LOCK_MS: String(c.WORKER_LOCK_MS),
    LOG_LEVEL: "silent",
  };
  return spawn(process.execPath, ["--import", "tsx", "apps/worker/src/main.ts"], {
    cwd: root,
    env,
    stdio: "ignore",
  });
}

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("a worker killed mid-send", () => {
  it("loses the delivery to another worker, and the message arrives exactly once", async () => {
    const r = await call<{ id: string }>("/v1/notification-rules", {
      method: "POST",
      body: {
        name: "crash",
        schedule: { cron: "0 6 * * *", timezone: "UTC" },
        channel: { type: "email", to: ["a@crash.example"] },
      },
    });
    expect(r.status).toBe(201);
    smtp.holdNext(1);
    child = startChildWorker();
    const sent = await call<{ deliveryId: string }>(`/v1/notification-rules/${r.body.id}/send`, {
      method: "POST",
    });
    expect(sent.status).toBe(202);
    // the child has sent DATA and waits for the server's answer, which never comes
    await until("the child worker to reach DATA", () => smtp.held === 1);
    child.kill("SIGKILL");
    await new Promise((res) => child?.once("exit", res));
    child = null;
    expect(smtp.messages).toHaveLength(0);

    survivor = await startWorker(ctx.config, logger);
    await smtp.waitFor(1, 30_000);
    await until("the delivery to be recorded as sent", async () => {
      const d = await call<{ items: { status: string }[] }>(`/v1/notification-rules/${r.body.id}/deliveries`);
      return d.body.items[0]?.status === "sent";
    });
    await new Promise((res) => setTimeout(res, 1500));
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]?.messageId).toBe(`<${sent.body.deliveryId}@crash.example>`);
    const d = await call<{ items: { status: string; attempts: number }[] }>(
      `/v1/notification-rules/${r.body.id}/deliveries`,
    );
    expect(d.body.items).toEqual([expect.objectContaining({ status: "sent", attempts: 2 })]);
  });
});
