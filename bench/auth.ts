/**
 * npm run bench:auth: what people and sign-in cost, through the real API over HTTP on a scratch database.
 * - argon2id hash and verify (the password policy's parameters);
 * - a password sign-in end to end (throttle check, lookup, verify, session, audit entry);
 * - a read with a session cookie vs the same read with an API token (the reference, measured in the same run);
 * - a write (create + delete a suppression: two audited requests) with a session vs with a token.
 * Medians and 95th percentiles over sequential requests. Uses TEST_DATABASE_URL / TEST_REDIS_URL or the local
 * defaults; creates and drops its database.
 */
import { randomBytes } from "node:crypto";
import { startApi } from "@bulwark/api/server";
import { createLogger, loadConfig, runMigrations } from "@bulwark/runtime";
import pg from "pg";
import { hashPassword, verifyPassword } from "../apps/api/src/auth/passwords.js";
import { benchEnv } from "./lib/env.js";

const N = Number(process.env.BENCH_N ?? 300);
const base = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const dbName = `bulwark_bench_${randomBytes(4).toString("hex")}`;
const say = (m: string) => process.stdout.write(`${m}\n`);
const PASSWORD = "correct horse battery staple 42";

async function timed(n: number, fn: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95) };
}
const fmt = (r: { p50: number; p95: number }) => `${r.p50.toFixed(1)} ms (p95 ${r.p95.toFixed(1)} ms)`;

const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const u = new URL(base);
u.pathname = `/${dbName}`;
const config = loadConfig({
  ...benchEnv(u.toString(), redisUrl),
  PORT: "0",
  LOGIN_MAX_FAILURES_PER_ACCOUNT: "1000",
});
try {
  await runMigrations(config.DATABASE_URL);
  const api = await startApi(config, createLogger("warn"));
  const req = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const res = await fetch(new URL(path, api.url), {
      method,
      headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return { res, body: text ? JSON.parse(text) : null };
  };
  const t = (
    await req("POST", "/admin/v1/tenants", { authorization: `Bearer ${config.ADMIN_TOKEN}` }, { name: "b" })
  ).body as { token: string };
  const bearer = { authorization: `Bearer ${t.token}` };
  const inv = (await req("POST", "/v1/invitations", bearer, { email: "bench@example.com", role: "admin" }))
    .body as {
    acceptUrl: string;
  };
  const token = new URL(inv.acceptUrl).searchParams.get("token");
  await req("POST", "/v1/auth/invitations/accept", {}, { token, password: PASSWORD });

  const hash = await hashPassword(PASSWORD);
  say(`argon2id hash:   ${fmt(await timed(20, () => hashPassword(PASSWORD)))}`);
  say(`argon2id verify: ${fmt(await timed(20, () => verifyPassword(hash, PASSWORD)))}`);
  let cookie = "";
  let csrf = "";
  const login = await timed(20, async () => {
    const r = await req("POST", "/v1/auth/login", {}, { email: "bench@example.com", password: PASSWORD });
    cookie =
      (r.res.headers.getSetCookie().find((c) => c.startsWith("__Host-bulwark_session=")) ?? "").split(
        ";",
      )[0] ?? "";
    csrf = (r.body as { csrfToken: string }).csrfToken;
  });
  say(`password sign-in (HTTP, end to end): ${fmt(login)}`);
  const session = { cookie, "x-csrf-token": csrf };
  for (const h of [bearer, session]) await timed(30, () => req("GET", "/v1/clusters", h)); // warm up
  const readToken = await timed(N, () => req("GET", "/v1/clusters", bearer));
  const readSession = await timed(N, () => req("GET", "/v1/clusters", session));
  say(`GET /v1/clusters, API token (reference): ${fmt(readToken)}`);
  say(
    `GET /v1/clusters, session cookie:        ${fmt(readSession)}  (${(readSession.p50 / readToken.p50).toFixed(2)}× the token)`,
  );
  const suppression = {
    selector: { ruleId: "R" },
    reason: "bench",
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  };
  const write = (h: Record<string, string>) => async () => {
    const created = (await req("POST", "/v1/suppressions", h, suppression)).body as { id: string };
    await req("DELETE", `/v1/suppressions/${created.id}`, h);
  };
  const writeToken = await timed(N / 2, write(bearer));
  const writeSession = await timed(N / 2, write(session));
  say(`create + delete a suppression (2 audited writes), token:   ${fmt(writeToken)}`);
  say(`create + delete a suppression (2 audited writes), session: ${fmt(writeSession)}`);
  await api.close();
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
