/**
 * npm run bench:queries-load: create BENCH_10M_DB (default bulwark_bench_10m), migrate it and load the 10M
 * findings data set once (bench/lib/fleet-data.ts). `npm run bench:queries` reuses it.
 */
import { runMigrations } from "@bulwark/runtime";
import pg from "pg";
import { bulkLoad, loadAverage, say } from "./lib/big-tenant.js";
import { databaseExists, loadFleet } from "./lib/fleet-data.js";

const admin = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = process.env.BENCH_10M_DB ?? "bulwark_bench_10m";
if (await databaseExists(admin, name)) {
  say(`${name} exists; drop it first to load again`);
  process.exit(0);
}
const a = new pg.Client({ connectionString: admin });
await a.connect();
await a.query(`CREATE DATABASE ${name}`);
await a.end();
const u = new URL(admin);
u.pathname = `/${name}`;
await runMigrations(u.toString());
const db = new pg.Client({ connectionString: u.toString() });
await db.connect();
const t0 = performance.now();
say(`loading 10,000,000 findings into ${name} (load average ${await loadAverage()})`);
await bulkLoad(db, () => loadFleet(db));
await db.query("VACUUM ANALYZE");
say(`loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s (load average ${await loadAverage()})`);
const size = await db.query("SELECT pg_size_pretty(pg_database_size(current_database())) AS s");
say(`database size: ${size.rows[0].s}`);
await db.end();
