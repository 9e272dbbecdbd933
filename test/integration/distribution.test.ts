import { DISTRIBUTED_TABLES, DISTRIBUTION_COLUMN, REFERENCE_TABLES } from "@bulwark/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";

/**
 * The Citus mapping (packages/schema/src/distribution.ts) held against the migrated catalog: every table is
 * either distributed by tenant_id or a reference table; a distributed table's primary key and unique indexes
 * lead with tenant_id; a foreign key between distributed tables carries tenant_id on both sides; a reference
 * table never points at a distributed one.
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const distributed = new Set<string>(DISTRIBUTED_TABLES);
const reference = new Set<string>(REFERENCE_TABLES);

describe("the schema maps onto Citus by tenant_id", () => {
  it("every table is distributed or a reference table, never both", async () => {
    const r = await ctx.ownerPool.query<{ relname: string }>(
      "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') ORDER BY 1",
    );
    const tables = r.rows.map((x) => x.relname);
    expect(tables.filter((t) => !distributed.has(t) && !reference.has(t))).toEqual([]);
    expect(tables.filter((t) => distributed.has(t) && reference.has(t))).toEqual([]);
    expect([...distributed, ...reference].filter((t) => !tables.includes(t))).toEqual([]);
  });

  it("a distributed table's primary key and unique indexes lead with tenant_id, which is never null", async () => {
    const r = await ctx.ownerPool.query<{ table: string; index: string; first: string | null }>(
      `SELECT c.relname AS table, i.relname AS index, a.attname AS first
       FROM pg_index x
       JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
       LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = x.indkey[0]
       WHERE c.relnamespace = 'public'::regnamespace AND (x.indisunique OR x.indisprimary) AND c.relname = ANY($1)`,
      [[...distributed]],
    );
    expect(r.rows.length).toBeGreaterThanOrEqual(distributed.size);
    expect(r.rows.filter((x) => x.first !== DISTRIBUTION_COLUMN).map((x) => `${x.table}.${x.index}`)).toEqual(
      [],
    );
    const pks = new Set(
      (
        await ctx.ownerPool.query<{ relname: string }>(
          "SELECT c.relname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid WHERE k.contype = 'p' AND c.relname = ANY($1)",
          [[...distributed]],
        )
      ).rows.map((x) => x.relname),
    );
    expect([...distributed].filter((t) => !pks.has(t))).toEqual([]);
    const nullable = await ctx.ownerPool.query<{ relname: string }>(
      `SELECT c.relname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
       WHERE c.relname = ANY($1) AND c.relnamespace = 'public'::regnamespace AND a.attname = $2 AND NOT a.attnotnull`,
      [[...distributed], DISTRIBUTION_COLUMN],
    );
    expect(nullable.rows).toEqual([]);
  });

  it("foreign keys between distributed tables include tenant_id; reference tables point only at reference tables", async () => {
    const r = await ctx.ownerPool.query<{
      name: string;
      from: string;
      to: string;
      cols: string[];
      refcols: string[];
    }>(
      `SELECT k.conname AS name, c.relname AS from, t.relname AS to,
         array(SELECT attname FROM pg_attribute WHERE attrelid = k.conrelid AND attnum = ANY(k.conkey)) AS cols,
         array(SELECT attname FROM pg_attribute WHERE attrelid = k.confrelid AND attnum = ANY(k.confkey)) AS refcols
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class t ON t.oid = k.confrelid
       WHERE k.contype = 'f' AND c.relnamespace = 'public'::regnamespace`,
    );
    const bad = r.rows.filter((k) => {
      if (reference.has(k.from)) return distributed.has(k.to);
      if (!distributed.has(k.to)) return false; // distributed → reference: any key
      return !k.cols.includes(DISTRIBUTION_COLUMN) || !k.refcols.includes(DISTRIBUTION_COLUMN);
    });
    expect(bad.map((k) => `${k.name}: ${k.from}(${k.cols}) → ${k.to}(${k.refcols})`)).toEqual([]);
  });
});
