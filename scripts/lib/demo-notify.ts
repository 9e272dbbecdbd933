import { readFileSync } from "node:fs";
import { simpleParser } from "mailparser";
import type { DemoClient } from "./demo-client.js";
import type { MailSink } from "./mail-sink.js";

type Say = (m?: string) => void;
const RULE_NAME = "Demo: daily summary";

/**
 * The demo's notification step: a daily email rule (reused on a second run), sent now through the real
 * outbox and worker to the local SMTP sink; prints where the message landed and its text part.
 */
export async function demoNotification(say: Say, client: DemoClient, sink: MailSink | null): Promise<void> {
  if (!sink) {
    say("  (SMTP_URL is set: the demo's summary goes to your SMTP server, not to .data/mail/)");
  }
  const rules = await client.get<{ items: { id: string; name: string }[] }>(
    "/v1/notification-rules?limit=200",
  );
  let id = rules.items.find((r) => r.name === RULE_NAME)?.id;
  if (!id) {
    const created = await client.call<{ id: string; nextRunAt: string }>("POST", "/v1/notification-rules", {
      name: RULE_NAME,
      schedule: { cron: "0 8 * * *", timezone: "Europe/Berlin" },
      channel: { type: "email", to: ["security-team@demo.localhost"] },
      filters: { minSeverity: "medium" },
    });
    if (created.status !== 201)
      throw new Error(`creating the rule answered ${created.status}: ${JSON.stringify(created.body)}`);
    id = created.body.id;
    say(`- created notification rule ${id} (daily 08:00 Europe/Berlin, next ${created.body.nextRunAt})`);
  }
  const before = sink?.files.length ?? 0;
  const sent = await client.call<{ deliveryId: string }>("POST", `/v1/notification-rules/${id}/send`);
  if (sent.status !== 202) throw new Error(`send answered ${sent.status}: ${JSON.stringify(sent.body)}`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const d = await client.get<{ items: { id: string; status: string; lastError: string | null }[] }>(
      `/v1/notification-rules/${id}/deliveries?limit=5`,
    );
    const mine = d.items.find((x) => x.id === sent.body.deliveryId);
    if (mine?.status === "sent") break;
    if (mine?.status === "failed") throw new Error(`the summary was not delivered: ${mine.lastError}`);
    if (Date.now() > deadline) throw new Error(`delivery ${sent.body.deliveryId} still ${mine?.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  say(`- summary ${sent.body.deliveryId} delivered by email`);
  if (!sink) return;
  const file = sink.files[before] ?? sink.files.at(-1);
  if (!file) throw new Error("the SMTP sink received nothing");
  const mail = await simpleParser(readFileSync(file));
  say(`  it landed in ${file}`);
  say(`  Subject: ${mail.subject}`);
  say("  ---- text part ----");
  for (const line of (mail.text ?? "").trimEnd().split("\n")) say(`  ${line}`);
  say("  -------------------");
}
