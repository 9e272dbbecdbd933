import type { PoolClient } from "@bulwark/runtime";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";

const dialect = new PgDialect();

/**
 * Run a composed sql`` query on the transaction's pg client. drizzle's `db.execute` returns timestamps as raw
 * text; the pg client parses them to Date (and jsonb/arrays too), which is what hand-written selects want.
 */
export async function queryRows<T>(client: PoolClient, query: SQL): Promise<T[]> {
  const { sql, params } = dialect.sqlToQuery(query);
  const result = await client.query(sql, params);
  return result.rows as T[];
}
