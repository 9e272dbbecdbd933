import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { refreshTodayPoints } from "@bulwark/runtime";
import { newId, type Role, SEVERITIES, STRATEGIES } from "@bulwark/schema";
import { serve } from "@hono/node-server";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { seedCluster } from "../../../../test/support/factories.js";
import { startSmtpSink } from "../../../../test/support/smtp.js";
import { hashPassword } from "../../src/auth/passwords.js";
import { signInLinkFor } from "../../src/services/sign-in-links/create.js";
import { ensureMembership, ensureUser } from "../../src/services/users/ensure.js";
import { call, createTenant } from "../support/client.js";
import { createHarness, type Harness } from "../support/harness.js";
import { type SeedFinding, seedFindings } from "../support/seed.js";

/**
 * The console's browser tests: the real app on a real port, Debian's chromium driven by playwright-core (never
 * a downloaded browser), one browser per test file. Skipped, saying why, only where /usr/bin/chromium is
 * absent (.ci/run installs it).
 */
export const CHROMIUM = process.env.BULWARK_CHROMIUM ?? "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  process.stderr.write(`console browser tests skipped: no ${CHROMIUM} (apt-get install -y chromium)\n`);
}

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchChromium(): Promise<Browser> {
  // launch() gives every run a fresh temporary user-data-dir
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export interface ConsoleEnv {
  h: Harness;
  url: string;
  tenantId: string;
  adminToken: string;
  clusterIds: string[];
  close(): Promise<void>;
}

/** A harness served on a free port of localhost (cookies are `__Host-`/Secure: localhost counts as secure). */
export async function startConsole(): Promise<ConsoleEnv> {
  // a real SMTP server, so e-mail summaries can be created and sent
  const smtp = await startSmtpSink();
  const h = await createHarness({ SMTP_URL: smtp.url, MAIL_FROM: "bulwark@console.test" });
  const server = serve({ fetch: h.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => server.once("listening", () => r()));
  const { port } = server.address() as AddressInfo;
  const t = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "demo-like");
  const clusterIds = await seedDemoLike(h, t.tenantId);
  return {
    h,
    // BULWARK_CONSOLE_HOST=127.0.0.1 checks what the demo prints (a loopback address, not the name)
    url: `http://${process.env.BULWARK_CONSOLE_HOST ?? "localhost"}:${port}`,
    tenantId: t.tenantId,
    adminToken: t.token,
    clusterIds,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      await h.close();
      await smtp.close();
    },
  };
}

const DAY = 86_400_000;
const NAMESPACES = ["payments", "web", "checkout", "istio-system", "kube-system"];
const KINDS = ["Deployment", "StatefulSet", "DaemonSet"];

/**
 * Data shaped like the demo's: two clusters, findings of every severity across the taxonomy's strategies,
 * a few CVEs on several workloads (the grouped view), 90 days of posture history improving over time, and
 * recent status changes.
 */
export async function seedDemoLike(h: Harness, tenantId: string): Promise<string[]> {
  const owner = h.ctx.ownerPool;
  const prod = await seedCluster(owner, tenantId, "prod-eu-1");
  const staging = await seedCluster(owner, tenantId, "staging");
  const now = Date.now();
  const findings: SeedFinding[] = [];
  for (let i = 0; i < 180; i++) {
    const strategy = STRATEGIES[i % STRATEGIES.length];
    const cve = i % 6 === 0 ? `CVE-2026-${1000 + (i % 4)}` : `KSV${String(100 + i).padStart(3, "0")}`;
    findings.push({
      clusterId: i % 3 === 0 ? staging : prod,
      source: i % 2 === 0 ? "trivy" : "kube-bench",
      ruleId: cve,
      title: i % 6 === 0 ? `openssl: buffer overflow (${cve})` : `Container check number ${i}`,
      severity: SEVERITIES[i % SEVERITIES.length],
      category: strategy?.category ?? "INT",
      strategy: strategy?.id ?? "INT-VULN",
      kind: KINDS[i % KINDS.length],
      namespace: NAMESPACES[i % NAMESPACES.length],
      name: `workload-${i % 40}`,
      status: i % 10 === 9 ? "resolved" : "open",
      firstSeenAt: new Date(now - (i % 30) * DAY - 3600_000),
      lastSeenAt: new Date(now - (i % 5) * 3600_000),
    });
  }
  const ids = await seedFindings(owner, tenantId, findings);
  // recent changes: the newest findings opened in the last day and week
  await owner.query(
    `insert into finding_events (tenant_id, finding_id, from_status, to_status, at, recorded_at, report_id)
     select tenant_id, id, null, 'open', first_seen_at, first_seen_at, null
     from findings where tenant_id = $1 and first_seen_at > now() - interval '8 days'`,
    [tenantId],
  );
  // 89 days of history per cluster before today: fewer open findings as the weeks go by
  const strategyIds = STRATEGIES.map((s) => s.id);
  for (const clusterId of [prod, staging]) {
    for (let d = 89; d >= 1; d--) {
      const day = new Date(now - d * DAY).toISOString().slice(0, 10);
      const load = Math.round(3 + d / 10);
      const counts = Object.fromEntries(
        strategyIds.map((s, i) => [s, [i % 7 === 0 ? load : 0, load, load + 2, 1, 0]]),
      );
      await owner.query(
        `insert into posture_daily (tenant_id, cluster_id, day, counts, origin) values ($1, $2, $3, $4, 'written')
         on conflict do nothing`,
        [tenantId, clusterId, day, JSON.stringify(counts)],
      );
    }
  }
  void ids;
  await seedReportsAndMesh(h, tenantId, prod, staging);
  // today's point from the live counters, as every snapshot and suppression writes it
  const client = await owner.connect();
  try {
    await refreshTodayPoints(client, tenantId, null);
  } finally {
    client.release();
  }
  return [prod, staging];
}

/** A one-time sign-in link for a member with `role` (created when missing), landing on `returnTo`. */
export async function signInLink(env: ConsoleEnv, role: Role, returnTo = "/app"): Promise<string> {
  const link = await signInLinkFor({
    pool: env.h.deps.pool,
    tenantId: env.tenantId,
    email: `${role}@console.test`,
    displayName: `The ${role}`,
    role,
  });
  return `${env.url}${link.path}&returnTo=${encodeURIComponent(returnTo)}`;
}

/** A page that records console errors and failed requests; sign in through the link's button. */
export async function signedInPage(
  browser: Browser,
  env: ConsoleEnv,
  role: Role,
): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(await signInLink(env, role));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${env.url}/app`, { timeout: 30_000 }).catch(async (e: Error) => {
    throw new Error(
      `sign-in did not land on /app (at ${page.url()}): ${e.message}\n${(await page.content()).slice(0, 2000)}`,
    );
  });
  return { page, context, errors };
}

export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
  return errors;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's WCAG 2 A/AA violations of the page (injected from node_modules through the debugger). */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(`${axeSource};0`);
  const result = (await page.evaluate(
    `axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })`,
  )) as { violations: { id: string; help: string; nodes: { target: string[] }[] }[] };
  return result.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
  );
}

/** An API token with the given scopes, for setting data up through the API. */
export async function apiToken(env: ConsoleEnv, scopes: string[]): Promise<string> {
  const res = await call<{ token: string }>(env.h.app, "POST", "/v1/tokens", {
    token: env.adminToken,
    body: { name: `console-${scopes.join("-")}`, scopes, service: true },
  });
  return res.body.token;
}

export { newId };

/** Wait for a URL; on a timeout, fail with the page's text (an error page says why). */
export async function reach(page: Page, url: RegExp | string, timeout = 30_000): Promise<void> {
  await page.waitForURL(url, { timeout }).catch(async (e: Error) => {
    const text = (
      (await page
        .locator("main")
        .textContent()
        .catch(() => "")) ?? ""
    ).slice(0, 1500);
    throw new Error(`did not reach ${url} (at ${page.url()}): ${e.message.split("\n")[0]}\n${text}`);
  });
}

const MESH_FACTS = {
  version: 1,
  meshPresent: true,
  workloads: 12,
  namespaces: 4,
  mtlsStrict: { count: 9, total: 12, share: 0.75 },
  authorized: { count: 6, total: 12, share: 0.5, withAllowPolicy: 4, underDefaultDeny: 2 },
  meshed: { count: 11, total: 12, share: 0.9167, sidecar: 8, ambient: 3 },
  endUserAuth: { count: 1, total: 2, share: 0.5 },
};

/** Last reports per source (one failed), the prod cluster's mesh coverage, and mesh findings with YAML fixes. */
async function seedReportsAndMesh(
  h: Harness,
  tenantId: string,
  prod: string,
  staging: string,
): Promise<void> {
  const owner = h.ctx.ownerPool;
  const reports = [
    [prod, "trivy-operator", "done", null, { findings: 120, new: 3 }],
    [prod, "mesh-config", "done", null, { findings: 8 }],
    [staging, "kube-bench", "failed", "kube-bench output held no recognisable check", null],
  ] as const;
  let meshReport = "";
  for (const [clusterId, source, status, error, stats] of reports) {
    const id = newId("report");
    if (source === "mesh-config") meshReport = id;
    await owner.query(
      `insert into reports (id, tenant_id, cluster_id, source, status, collected_at, received_at, processed_at, error,
         stats, scope_key, body_sha256, payload_bytes)
       values ($1, $2, $3, $4, $5, now() - interval '2 hours', now() - interval '2 hours', now(), $6, $7, 'cluster',
         repeat('0', 64), 1000)`,
      [id, tenantId, clusterId, source, status, error, stats ? JSON.stringify(stats) : null],
    );
  }
  await owner.query(
    `insert into mesh_coverage (tenant_id, cluster_id, report_id, collected_at, facts)
     values ($1, $2, $3, now() - interval '2 hours', $4)`,
    [tenantId, prod, meshReport, JSON.stringify(MESH_FACTS)],
  );
  await seedFindings(owner, tenantId, [
    {
      clusterId: prod,
      source: "mesh-config",
      ruleId: "ISTIO-MTLS-01",
      title: "Namespace payments accepts plaintext (PeerAuthentication PERMISSIVE)",
      severity: "high",
      category: "PROT",
      strategy: "PROT-MTLS",
      kind: "Namespace",
      namespace: "payments",
      name: "payments",
    },
  ]);
  await owner.query(
    `update findings set remediation = $2 where tenant_id = $1 and rule_id = 'ISTIO-MTLS-01'`,
    [
      tenantId,
      "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: payments\nspec:\n  mtls:\n    mode: STRICT\n",
    ],
  );
}

export const PASSWORD = "correct horse battery staple 42";

/** A member with a password (made through the verbs; invitations are tested elsewhere). */
export async function passwordMember(env: ConsoleEnv, role: Role): Promise<{ email: string }> {
  const email = `${role}-pw-${newId("user").slice(4, 12)}@console.test`;
  const user = await ensureUser({ ctx: { pool: env.h.deps.pool }, input: { email, displayName: role } });
  await ensureMembership({
    ctx: { pool: env.h.deps.pool, tenantId: env.tenantId },
    input: { userId: user.id, role },
  });
  await env.h.ctx.ownerPool.query("update users set password_hash = $2 where id = $1", [
    user.id,
    await hashPassword(PASSWORD),
  ]);
  return { email };
}

/**
 * One console (API on a free port, seeded tenant) and one chromium for a test file, started before its tests
 * and stopped after; nothing starts when chromium is absent (the file's suite is skipped then).
 */
export function useConsole(): { env: ConsoleEnv; browser: Browser } {
  const c = {} as { env: ConsoleEnv; browser: Browser };
  beforeAll(async () => {
    if (!hasChromium) return;
    c.env = await startConsole();
    c.browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await c.browser?.close();
    await c.env?.close();
  });
  return c;
}
