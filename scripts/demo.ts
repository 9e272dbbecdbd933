/**
 * The main job, on an embedded default: with nothing configured it starts embedded Postgres (data under .data/)
 * and a local redis-server, migrates, creates a demo tenant and cluster, uploads the project's own sample
 * reports through the real signed HTTP path, waits for processing, prints the findings per category, strategy
 * and severity, and leaves the API running. Configured DATABASE_URL / REDIS_URL win over the embedded services.
 * Running it twice reuses the tenant and applies the samples again as newer snapshots.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startApi } from "@bulwark/api/server";
import { uploadReport } from "@bulwark/collector";
import { createLogger, loadConfig, runMigrations } from "@bulwark/runtime";
import { startWorker } from "@bulwark/worker";
import { DemoClient } from "./lib/demo-client.js";
import { demoNotification } from "./lib/demo-notify.js";
import { printReportStats, printSummary, printTopGroups, printTrend } from "./lib/demo-print.js";
import { embeddedPostgres, localRedis, type Service } from "./lib/embedded-services.js";
import { type MailSink, startMailSink } from "./lib/mail-sink.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = resolve(root, ".data");
mkdirSync(dataDir, { recursive: true });
const say = (m = "") => process.stdout.write(`${m}\n`);
const services: Service[] = [];

function persisted<T>(file: string, make: () => T): T {
  const path = resolve(dataDir, file);
  if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8")) as T;
  const value = make();
  writeFileSync(path, JSON.stringify(value, null, 2), { mode: 0o600 });
  return value;
}

say("Bulwark demo");
let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  say("- DATABASE_URL not set: starting embedded Postgres");
  const pg = await embeddedPostgres(dataDir, Number(process.env.BULWARK_DEMO_PG_PORT ?? 54329));
  services.push(pg);
  databaseUrl = pg.url;
}
let redisUrl = process.env.REDIS_URL;
if (!redisUrl) {
  say("- REDIS_URL not set: starting a local redis-server");
  const redis = await localRedis(dataDir, Number(process.env.BULWARK_DEMO_REDIS_PORT ?? 6390));
  services.push(redis);
  redisUrl = redis.url;
}
let mailSink: MailSink | null = null;
if (!process.env.SMTP_URL) {
  mailSink = await startMailSink(resolve(dataDir, "mail"));
  services.push({ url: mailSink.url, stop: () => mailSink?.stop() ?? Promise.resolve() });
  say(`- SMTP_URL not set: a local SMTP sink writes mail to ${mailSink.dir}`);
}
// generated once and kept, so signing secrets encrypted by an earlier run still decrypt
const secrets = persisted("demo-secrets.json", () => ({
  ADMIN_TOKEN: randomBytes(24).toString("base64url"),
  SECRETS_KEY: randomBytes(32).toString("base64"),
}));
const config = loadConfig({
  ...process.env,
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  ADMIN_TOKEN: process.env.ADMIN_TOKEN ?? secrets.ADMIN_TOKEN,
  SECRETS_KEY: process.env.SECRETS_KEY ?? secrets.SECRETS_KEY,
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  SMTP_URL: process.env.SMTP_URL ?? mailSink?.url,
  MAIL_FROM: process.env.MAIL_FROM ?? "Bulwark demo <bulwark@demo.localhost>",
});
const logger = createLogger(config.LOG_LEVEL);

say("- migrating");
await runMigrations(config.DATABASE_URL);
const worker = await startWorker(config, logger);
const api = await startApi(config, logger);
const baseUrl = api.url;
say(`- API listening on ${baseUrl}`);

async function shutdown(code: number) {
  await Promise.allSettled([api.close(), worker.close()]);
  for (const s of services.reverse()) await s.stop().catch(() => {});
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  // the demo tenant: reused when its token still works (second run), created otherwise
  const statePath = resolve(dataDir, "demo-state.json");
  let state = existsSync(statePath)
    ? (JSON.parse(readFileSync(statePath, "utf8")) as { token: string; keyId: string; secret: string })
    : null;
  if (state && (await new DemoClient(baseUrl, state.token).call("GET", "/v1/clusters")).status !== 200)
    state = null;
  if (!state) {
    const admin = new DemoClient(baseUrl, config.ADMIN_TOKEN);
    const t = await admin.call<{ token: string }>("POST", "/admin/v1/tenants", { name: "Demo tenant" });
    if (t.status !== 201)
      throw new Error(`creating the demo tenant answered ${t.status}: ${JSON.stringify(t.body)}`);
    const c = await new DemoClient(baseUrl, t.body.token).call<{ key: { keyId: string; secret: string } }>(
      "POST",
      "/v1/clusters",
      { name: "demo-cluster" },
    );
    if (c.status !== 201)
      throw new Error(`creating the demo cluster answered ${c.status}: ${JSON.stringify(c.body)}`);
    state = { token: t.body.token, keyId: c.body.key.keyId, secret: c.body.key.secret };
    writeFileSync(statePath, JSON.stringify(state, null, 2), { mode: 0o600 });
    say("- created the demo tenant and cluster 'demo-cluster'");
  } else {
    say("- reusing the demo tenant from an earlier run");
  }
  const client = new DemoClient(baseUrl, state.token);

  const samples = [
    { file: "samples/trivy-k8s.json", source: "trivy", tool: { name: "trivy", version: "0.58.1" } },
    { file: "samples/kube-bench.json", source: "kube-bench", tool: { name: "kube-bench", version: "0.9.2" } },
    // as the collector reads a cluster (its --dry-run output against the test suite's fake API server)
    { file: "samples/trivy-operator.json", source: "trivy-operator", tool: { name: "bulwark-collector" } },
    { file: "samples/mesh-config.json", source: "mesh-config", tool: { name: "bulwark-collector" } },
  ];
  const reportIds: string[] = [];
  for (const s of samples) {
    const envelope = {
      schemaVersion: 1,
      source: s.source,
      collectedAt: new Date().toISOString(),
      tool: s.tool,
      report: JSON.parse(readFileSync(resolve(root, s.file), "utf8")),
    };
    const r = await uploadReport(envelope, { baseUrl, keyId: state.keyId, secret: state.secret });
    const body = r.body as { reportId?: string; detail?: string };
    if (!body.reportId)
      throw new Error(`upload of ${s.file} answered ${r.status}: ${JSON.stringify(r.body)}`);
    say(`- uploaded ${s.file} (signed, gzip): ${r.status} → ${body.reportId}`);
    reportIds.push(body.reportId);
  }
  const finished = [];
  for (const id of reportIds) {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const rep = await client.get<{
        id: string;
        source: string;
        status: string;
        error: string | null;
        stats: unknown;
      }>(`/v1/reports/${id}`);
      if (rep.status === "done" || rep.status === "failed") {
        finished.push(rep);
        break;
      }
      if (Date.now() > deadline) throw new Error(`report ${id} still ${rep.status} after 120 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  printReportStats(say, finished);
  const findings = await client.all<{ severity: string; taxonomy: { category: string; strategy: string } }>(
    "/v1/findings?status=open",
  );
  printSummary(say, findings);
  const posture = await client.get<{ score: number; categories: { id: string; score: number }[] }>(
    "/v1/posture",
  );
  say(
    `  posture score ${posture.score}/100 (${posture.categories.map((c) => `${c.id} ${c.score}`).join(" · ")})`,
  );
  const days = Array.from({ length: 7 }, (_, i) =>
    new Date(Date.now() - (6 - i) * 86_400_000).toISOString().slice(0, 10),
  );
  const history = await client.get<{ points: { at: string; score: number; open: Record<string, number> }[] }>(
    `/v1/posture/history?from=${days[0]}`,
  );
  printTrend(say, history.points, days);
  const groups = await client.get<{ items: Parameters<typeof printTopGroups>[1] }>(
    "/v1/findings/groups?by=image&strategy=INT-VULN&limit=5",
  );
  printTopGroups(say, groups.items);
  const coverage = await client.get<{ total: Record<string, { count: number; total: number } | number> }>(
    "/v1/mesh-coverage",
  );
  const share = (k: string) => {
    const v = coverage.total[k];
    return typeof v === "object" ? `${v.count}/${v.total}` : "-";
  };
  say(
    `  mesh coverage (workloads): STRICT mTLS ${share("mtlsStrict")} · authorized ${share("authorized")} · ` +
      `meshed ${share("meshed")} · end-user authn ${share("endUserAuth")}`,
  );
  say("- notifications");
  await demoNotification(say, client, mailSink);
  say();
  say(`API:  ${baseUrl}`);
  say(`Docs: ${baseUrl}/docs`);
  say("Try:");
  say(
    `  curl -s -H 'Authorization: Bearer ${state.token}' '${baseUrl}/v1/findings?severity=critical,high&limit=5'`,
  );
  if (process.env.BULWARK_DEMO_EXIT === "1") await shutdown(0);
  say();
  say("The API keeps running; Ctrl-C stops it (and the embedded services).");
} catch (e) {
  process.stderr.write(`demo failed: ${(e as Error).message}\n`);
  await shutdown(1);
}
