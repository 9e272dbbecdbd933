import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import pg from "pg";
import { startApiProcess } from "../../test/faults/support/processes.js";
import { freePort } from "../../test/faults/support/services.js";
import { benchTenants } from "../lib/fleet-data.js";

const url = "postgres://postgres@127.0.0.1:5432/bulwark_bench_10m";
const env: Record<string, string> = {
  DATABASE_URL: url,
  REDIS_URL: "redis://127.0.0.1:6379",
  ADMIN_TOKEN: randomBytes(24).toString("hex"),
  SECRETS_KEY: randomBytes(32).toString("base64"),
  LOG_LEVEL: "warn",
  QUEUE_PREFIX: "{prof}",
  TENANT_QUERY_CONCURRENCY: "16",
  QUERY_CONCURRENCY: "16",
  DB_POOL_MAX: "20",
  QUERY_TIMEOUT_MS: "120000",
  PORT: String(await freePort()),
};
const prof = process.env.PROF;
const served = await startApiProcess(env, "api", prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : []);
const owner = new pg.Client({ connectionString: url });
await owner.connect();
const big = (await benchTenants(owner))[0]!;
const path = process.env.P ?? "/v1/findings";
for (const conns of [1, 8]) {
  const times: number[] = [];
  const r = await autocannon({
    url: served.url + path,
    connections: conns,
    amount: Number(process.env.N ?? 2000),
    headers: { authorization: `Bearer ${big.token}` },
    setupClient: (c) =>
      c.on("response", (s: number, _b: number, t: number) => {
        if (s === 200) times.push(t);
      }),
  });
  times.sort((a, b) => a - b);
  const p = (q: number) => times[Math.floor((times.length - 1) * q)]!.toFixed(1);
  console.log(
    `${path} conns ${conns}: p50 ${p(0.5)} p95 ${p(0.95)} p99 ${p(0.99)} non2xx ${r.non2xx} rps ${r.requests.average}`,
  );
}
served.proc.child.kill("SIGTERM");
await new Promise((r) => setTimeout(r, 2000));
await owner.end();
process.exit(0);
