/**
 * The main job, on an embedded default: with nothing configured it starts embedded Postgres (data under .data/)
 * and a local redis-server, migrates, creates a demo tenant and cluster, uploads the project's own sample
 * reports through the real signed HTTP path, waits for processing, prints the findings per category, strategy
 * and severity, and leaves the API running. Configured DATABASE_URL / REDIS_URL win over the embedded services.
 * Running it twice reuses the tenant and applies the samples again as newer snapshots.
 *
 * Started by scripts/demo.mjs (which prints the first line). Whatever fails, and whichever process gets SIGINT
 * or SIGTERM, nothing it started outlives it: it stops the API, the worker and the services in that order on
 * a signal or an error, and the guardian (lib/reaper.mjs) stops the services if this process dies first.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunningApi } from "@bulwark/api/server";
import type { Config } from "@bulwark/runtime";
import { DemoClient } from "./lib/demo-client.js";
import { DemoError, Guardian, lockDataDir, portSetting, requirePort } from "./lib/demo-guardian.js";
import { demoNotification } from "./lib/demo-notify.js";
import { printReportStats, printSummary, printTopGroups, printTrend } from "./lib/demo-print.js";
import { uploadSamples } from "./lib/demo-samples.js";
import { embeddedPostgres, localRedis } from "./lib/embedded-services.js";
import { type MailSink, startMailSink } from "./lib/mail-sink.js";

// the application's modules take seconds to load through tsx: they load while the services start
const loading = Promise.all([
  import("@bulwark/api/server"),
  import("@bulwark/collector"),
  import("@bulwark/runtime"),
  import("@bulwark/worker"),
]);
loading.catch(() => {}); // awaited below; a failure is reported there
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const say = (m = "") => process.stdout.write(`${m}\n`);
const env = process.env;

/** What to stop, last started first. */
const stops: (() => Promise<unknown>)[] = [];
let stopping: Promise<void> | undefined;

/** Stop everything started so far, then exit. Anything started later (a step still running) stops at once. */
function shutdown(code: number): Promise<void> {
  stopping ??= (async () => {
    // a stop that hangs (a dependency gone) must not keep the demo alive: the guardian finishes the job
    setTimeout(() => process.exit(code || 1), 20_000).unref();
    for (let stop = stops.pop(); stop; stop = stops.pop()) await stop().catch(() => {});
    process.exit(code);
  })();
  return stopping;
}

/** Register what stops a started thing; if the demo is already stopping, stop it now. */
async function started(stop: () => Promise<unknown>): Promise<void> {
  if (!stopping) {
    stops.push(stop);
    return;
  }
  await stop().catch(() => {});
  await stopping;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void shutdown(0));
// `npm run demo` execs this process in place of its shell, so npm's forwarded SIGINT/SIGTERM arrive here. If
// whatever started it goes away without a signal reaching this process, it is re-parented: stop then too.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) void shutdown(0);
}, 500).unref();

/** One line on stderr, then everything stopped. While stopping on a signal, failing steps are expected. */
function fail(e: unknown): Promise<void> {
  if (stopping) return stopping;
  const name = e instanceof Error ? e.constructor.name : "";
  const known = e instanceof DemoError || name === "ConfigError" || name === "ListenError";
  const message = e instanceof Error ? e.message : String(e);
  const line = known ? message.replace(/\s*\n\s*/g, "; ") : message.split("\n")[0];
  process.stderr.write(`demo: ${line}\n`);
  return shutdown(1);
}
process.on("uncaughtException", (e) => void fail(e));
process.on("unhandledRejection", (e) => void fail(e));

let api: RunningApi;
let config: Config;
let mailSink: MailSink | null = null;
let uploadReport: typeof import("@bulwark/collector").uploadReport;
let dataDir: string;
try {
  dataDir = resolve(root, env.BULWARK_DEMO_DATA_DIR || ".data");
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir, "BULWARK_DEMO_DATA_DIR");
  await started(async () => unlock());
  // the API: 127.0.0.1 unless HOST says otherwise; checked first, before anything is started
  const host = env.HOST || "127.0.0.1";
  const port = portSetting(env, "PORT", 8080);
  if (host === "127.0.0.1") await requirePort(port, "the demo's API", "PORT");
  // every port the demo would take is checked before anything starts (and again as each service binds)
  const pgPort = portSetting(env, "BULWARK_DEMO_PG_PORT", 54329);
  const redisPort = portSetting(env, "BULWARK_DEMO_REDIS_PORT", 6390);
  if (!env.DATABASE_URL)
    await requirePort(
      pgPort,
      "the demo's Postgres",
      "BULWARK_DEMO_PG_PORT",
      "set DATABASE_URL to a Postgres you run",
    );
  if (!env.REDIS_URL)
    await requirePort(
      redisPort,
      "the demo's Redis",
      "BULWARK_DEMO_REDIS_PORT",
      "set REDIS_URL to a Redis you run",
    );

  const guardian = new Guardian(dataDir);
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    say("- DATABASE_URL not set: starting embedded Postgres");
    const pg = await embeddedPostgres(dataDir, pgPort, guardian);
    await started(pg.stop);
    databaseUrl = pg.url;
  }
  let redisUrl = env.REDIS_URL;
  if (!redisUrl) {
    say("- REDIS_URL not set: starting a local redis-server");
    const redis = await localRedis(dataDir, redisPort, guardian);
    await started(redis.stop);
    redisUrl = redis.url;
  }
  if (!env.SMTP_URL) {
    const sink = await startMailSink(resolve(dataDir, "mail"));
    mailSink = sink;
    await started(() => sink.stop());
    say(`- SMTP_URL not set: a local SMTP sink writes mail to ${sink.dir}`);
  }
  // generated once and kept, so signing secrets encrypted by an earlier run still decrypt
  const secrets = persisted(dataDir, "demo-secrets.json", () => ({
    ADMIN_TOKEN: randomBytes(24).toString("base64url"),
    SECRETS_KEY: randomBytes(32).toString("base64"),
  }));
  const [{ startApi }, collector, { createLogger, loadConfig, runMigrations }, { startWorker }] =
    await loading;
  uploadReport = collector.uploadReport;
  config = loadConfig({
    ...env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    HOST: host,
    PORT: String(port),
    // the worker's metrics listener: any free port unless told, so a taken 9464 never stops the demo
    METRICS_PORT: env.METRICS_PORT ?? "0",
    ADMIN_TOKEN: env.ADMIN_TOKEN ?? secrets.ADMIN_TOKEN,
    SECRETS_KEY: env.SECRETS_KEY ?? secrets.SECRETS_KEY,
    LOG_LEVEL: env.LOG_LEVEL ?? "warn",
    SMTP_URL: env.SMTP_URL ?? mailSink?.url,
    MAIL_FROM: env.MAIL_FROM ?? "Bulwark demo <bulwark@demo.localhost>",
  });
  const logger = createLogger(config.LOG_LEVEL);
  say("- migrating");
  await runMigrations(config.DATABASE_URL);
  if (stopping) await stopping;
  const worker = await startWorker(config, logger);
  await started(() => worker.close());
  api = await startApi(config, logger);
  await started(() => api.close());
  say(`- API listening on ${api.url}`);
} catch (e) {
  await fail(e);
  throw e; // not reached: fail() exits
}
const baseUrl = api.url;

function persisted<T>(dir: string, file: string, make: () => T): T {
  const path = resolve(dir, file);
  if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8")) as T;
  const value = make();
  writeFileSync(path, JSON.stringify(value, null, 2), { mode: 0o600 });
  return value;
}

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

  const finished = await uploadSamples(say, {
    root,
    baseUrl,
    key: { keyId: state.keyId, secret: state.secret },
    client,
    uploadReport,
  });
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
  // a member of the demo tenant and a one-time link that signs them in (a session cookie, bound to the tenant)
  const [{ signInLinkFor }, , { createAppPool }] = await loading;
  const me = await client.get<{ tenant: { id: string } }>("/v1/me");
  const linkPool = createAppPool(config.DATABASE_URL, { max: 1, applicationName: "bulwark-demo" });
  try {
    const link = await signInLinkFor({
      pool: linkPool,
      tenantId: me.tenant.id,
      email: "demo@bulwark.local",
      displayName: "Demo owner",
      role: "owner",
    });
    say(`Console: ${baseUrl}/app`);
    say(
      `Sign in (one-time link, until ${link.expiresAt.toISOString()}): ${baseUrl}${link.path}&returnTo=${encodeURIComponent("/app")}`,
    );
  } finally {
    await linkPool.end();
  }
  if (env.BULWARK_DEMO_EXIT === "1") await shutdown(0);
  say();
  say("The API keeps running; Ctrl-C stops it (and the embedded services).");
} catch (e) {
  await fail(e);
}
