import { AsyncLocalStorage } from "node:async_hooks";
import { sql } from "drizzle-orm";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";

export type Db = NodePgDatabase<Record<string, never>>;
export type PoolClient = pg.PoolClient;
export const APP_ROLE = "bulwark_app";

// bigint columns (finding_events.id, counts) come back as JS numbers; they stay far below 2^53
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

/**
 * The application pool. Every connection switches to the non-owner application role before its first query,
 * so row-level security holds even when DATABASE_URL names a superuser (contract §3).
 */
export function createAppPool(
  databaseUrl: string,
  opts: {
    max?: number;
    applicationName?: string;
    /**
     * false: `SET jit = off` on every connection. The API's statements read a page or a few counters; past
     * jit_above_cost (a cost the planner gives an index walk it thinks long, e.g. a rare `q=`) Postgres compiled
     * them with LLVM first: 674 ms of compiling for a 5 ms query at 10M findings.
     */
    jit?: boolean;
  } = {},
): pg.Pool {
  const setup = opts.jit === false ? `SET ROLE ${APP_ROLE}; SET jit = off` : `SET ROLE ${APP_ROLE}`;
  const onConnect = async (client: pg.ClientBase): Promise<void> => {
    // A client emits 'error' when its connection dies (restart, failover, pg_terminate_backend). The pool
    // listens only while the client is idle; a checked-out client without a listener of its own would crash
    // the process. The query in flight still rejects, and release(err) or the pool's check drops the client.
    client.on("error", () => {});
    // the pool hands the client out only once this resolves; if it rejects, the pool ends the client and the
    // checkout fails: a client never acts as the owner (a `connect` listener queued SET ROLE behind nothing,
    // relying on pg's per-client queue, which pg 8 deprecates)
    await client.query(setup);
  };
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? "bulwark",
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // pg-pool awaits a promise from onConnect; @types/pg types it as returning void
    onConnect: onConnect as (client: pg.ClientBase) => void,
  });
  // an idle client's error (server restart) must not crash the process; the next checkout reconnects
  pool.on("error", () => {});
  return pool;
}

/**
 * How long one statement may run, for the transactions of the current async context (a request). Set by
 * the API's expensive-route middleware (`runWithStatementTimeout`), read by `withTenant`. A verb that needs
 * another bound (a streaming export) passes `{ statementTimeoutMs }` to withTenant explicitly, which wins.
 */
const statementBudget = new AsyncLocalStorage<{ statementTimeoutMs: number }>();

export function runWithStatementTimeout<T>(statementTimeoutMs: number, fn: () => T): T {
  return statementBudget.run({ statementTimeoutMs }, fn);
}

export function currentStatementTimeout(): number | undefined {
  return statementBudget.getStore()?.statementTimeoutMs;
}

export interface TenantTxOptions {
  /** `SET LOCAL statement_timeout` for this transaction (ms; 0 = none); default: the context's, else none */
  statementTimeoutMs?: number;
}

/**
 * Run `fn` in one transaction scoped to a tenant: RLS policies read `bulwark.tenant_id`, set here with
 * set_config(…, true) so it ends with the transaction and never leaks to the next user of the connection.
 */
export async function withTenant<T>(
  pool: pg.Pool,
  tenantId: string,
  fn: (db: Db, client: pg.PoolClient) => Promise<T>,
  opts: TenantTxOptions = {},
): Promise<T> {
  const timeout = opts.statementTimeoutMs ?? currentStatementTimeout();
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // one round trip (simple protocol, several statements): at 8 requests in flight on a busy machine each
    // trip to the server costs more than a list page's query. Local settings end with the transaction and never
    // reach the connection's next user (the statement timeout as SET LOCAL would).
    const bound =
      timeout !== undefined
        ? `, set_config('statement_timeout', '${Math.max(0, Math.floor(timeout))}', true)`
        : "";
    await client.query(
      `BEGIN; SELECT set_config('bulwark.tenant_id', ${client.escapeLiteral(tenantId)}, true)${bound}`,
    );
    const result = await fn(drizzle(client), client);
    await client.query("COMMIT");
    return result;
  } catch (e) {
    try {
      await client.query("ROLLBACK");
    } catch (rollbackError) {
      broken = rollbackError as Error;
    }
    throw e;
  } finally {
    client.release(broken);
  }
}

/**
 * Like withTenant, for what belongs to a person as well as (or instead of) a tenant: sets bulwark.user_id (the
 * user's own row, memberships and sessions) and, when given, bulwark.tenant_id, for one transaction.
 */
export async function withActor<T>(
  pool: pg.Pool,
  scope: { userId: string; tenantId?: string },
  fn: (db: Db, client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    await client.query(
      "SELECT set_config('bulwark.user_id', $1, true), set_config('bulwark.tenant_id', $2, true)",
      [scope.userId, scope.tenantId ?? ""],
    );
    const result = await fn(drizzle(client), client);
    await client.query("COMMIT");
    return result;
  } catch (e) {
    try {
      await client.query("ROLLBACK");
    } catch (rollbackError) {
      broken = rollbackError as Error;
    }
    throw e;
  } finally {
    client.release(broken);
  }
}

/** A query outside any tenant (only the SECURITY DEFINER lookups and sweeps answer anything there). */
export async function withoutTenant<T>(pool: pg.Pool, fn: (db: Db) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await fn(drizzle(client));
  } finally {
    client.release();
  }
}

export async function pingDb(pool: pg.Pool): Promise<void> {
  await withoutTenant(pool, (db) => db.execute(sql`select 1`));
}
