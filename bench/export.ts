/**
 * npm run bench:export [-- N]: GET /v1/findings/export for a tenant with N open findings (default 1,000,000)
 * carrying a 1 KB description each, served by the API running as a child process (`tsx apps/api/src/index.ts`)
 * whose resident memory is sampled every 25 ms from /proc. Reports, per format, the bytes streamed, the time,
 * and the API's RSS growth over its idle baseline. Reference, in the same run: a raw `COPY (SELECT …) TO STDOUT`
 * of the same rows' columns into /dev/null.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { runMigrations } from "@bulwark/runtime";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { bulkLoad, loadAverage, say, scratchDatabase, seedBigTenant } from "./lib/big-tenant.js";
import { benchEnv } from "./lib/env.js";

const n = Number(process.argv[2] ?? process.env.BENCH_FINDINGS ?? 1_000_000);
const db = await scratchDatabase("bulwark_bench_export");
const mib = (b: number) => (b / 1048576).toFixed(1);

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : 0;
}

/** The API's pid: tsx runs it in a child node process of its own, so take the deepest descendant. */
function apiPid(rootPid: number): number {
  let pid = rootPid;
  for (;;) {
    let children: string[] = [];
    try {
      children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
        .trim()
        .split(/\s+/)
        .filter(Boolean);
    } catch {
      return pid;
    }
    if (children.length === 0) return pid;
    pid = Number(children[0]);
  }
}

const devNull = () =>
  new Writable({
    write(_chunk, _enc, done) {
      done();
    },
  });

try {
  await runMigrations(db.url);
  const admin = randomBytes(24).toString("hex");
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn("npx", ["tsx", "apps/api/src/index.ts"], {
    env: {
      ...process.env,
      ...benchEnv(db.url),
      ADMIN_TOKEN: admin,
      PORT: String(port),
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      if (i > 200) throw new Error("the API did not start");
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const created = (await (
    await fetch(`${base}/admin/v1/tenants`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "export" }),
    })
  ).json()) as { tenant: { id: string }; token: string };
  const owner = new pg.Client({ connectionString: db.url });
  await owner.connect();
  const t0 = performance.now();
  await bulkLoad(owner, () =>
    seedBigTenant(owner, { tenantId: created.tenant.id, clusters: 10, n, descriptionBytes: 1024 }),
  );
  const open = (await owner.query("SELECT count(*)::int AS n FROM findings WHERE status = 'open'")).rows[0]
    .n as number;
  say(
    `seeded ${n.toLocaleString("en")} findings (${open.toLocaleString("en")} open) in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );

  const pid = apiPid(child.pid as number);
  for (let i = 0; i < 20; i++)
    await (
      await fetch(`${base}/v1/posture`, { headers: { authorization: `Bearer ${created.token}` } })
    ).arrayBuffer();
  await new Promise((r) => setTimeout(r, 1000));
  say(`load average: ${await loadAverage()}`);

  for (const format of ["csv", "ndjson", "sarif"]) {
    const baseline = rssOf(pid);
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssOf(pid));
    }, 25);
    const s = performance.now();
    const res = await fetch(`${base}/v1/findings/export?format=${format}&status=all`, {
      headers: { authorization: `Bearer ${created.token}` },
    });
    let bytes = 0;
    const reader = res.body?.getReader();
    for (;;) {
      const r = await reader?.read();
      if (!r || r.done) break;
      bytes += r.value.byteLength;
    }
    clearInterval(sampler);
    const secs = (performance.now() - s) / 1000;
    say(
      `${format}: ${mib(bytes)} MiB in ${secs.toFixed(1)} s (${(bytes / 1048576 / secs).toFixed(1)} MiB/s); API RSS ${mib(baseline)} → peak ${mib(peak)} MiB (+${mib(peak - baseline)} MiB)`,
    );
  }

  const s = performance.now();
  const copy = owner.query(
    copyTo(
      `COPY (SELECT f.id, c.name, f.source, f.rule_id, f.title, f.severity, f.status, f.category, f.strategy, f.nist,
         f.resource_namespace, f.resource_kind, f.resource_name, f.resource_container, f.resource_image, f.first_seen_at,
         f.last_seen_at, f.resolved_at, f.fingerprint, f.remediation, f."references", f.details
       FROM findings f JOIN clusters c ON c.id = f.cluster_id WHERE f.tenant_id = '${created.tenant.id}'
       ORDER BY f.severity_rank, f.last_seen_at DESC, f.id DESC) TO STDOUT WITH (FORMAT csv)`,
    ),
  );
  let copied = 0;
  copy.on("data", (c: Buffer) => {
    copied += c.length;
  });
  await pipeline(copy, devNull());
  say(
    `reference, COPY (SELECT … ORDER BY the export's order) TO STDOUT: ${mib(copied)} MiB in ${((performance.now() - s) / 1000).toFixed(1)} s`,
  );
  say(`load average after: ${await loadAverage()}`);
  await owner.end();
  // npx → tsx → node: signal the API itself too, or it outlives the bench holding its stdout
  process.kill(pid, "SIGTERM");
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
} finally {
  await db.drop();
}
