/**
 * q= (a substring of the title or rule id) can be answered from the trigram index findings_search_idx
 * (migration 0020): the condition the list builds (ILIKE with its escape, on the title or the rule id) is one
 * the index serves. On a table this small the planner rightly prefers the tenant's other indexes, so the plan
 * here is of the q condition alone with sequential scans off: its only way in is a bitmap over the trigram
 * index. At 10M findings (npm run bench:queries) the planner chooses it beside the tenant for a rare substring.
 */
import { filterConditions } from "@bulwark/insights";
import { withTenant } from "@bulwark/runtime";
import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { draft } from "../support/factories.js";
import { Scenario, type ScenarioTenant } from "../support/scenario.js";

let s: Scenario;
let t: ScenarioTenant;

beforeAll(async () => {
  s = await Scenario.create();
  t = await s.tenant("search", ["prod"]);
  await s.apply(t, "prod", [
    draft({ ruleId: "CVE-2024-3094", title: "xz-utils: backdoor in liblzma" }),
    draft({ ruleId: "KSV-0017", title: "Privileged container" }),
    draft({ ruleId: "CVE-2023-4911", title: "glibc: buffer overflow (Looney_Tunables) 100%" }),
  ]);
});
afterAll(async () => {
  await s?.close();
});

async function plan(q: string): Promise<string> {
  const where = await withTenant(s.h.ctx.pool, t.tenantId, (_db, client) =>
    filterConditions(client, t.tenantId, { q, status: "all" }),
  );
  // [tenant, q]: the q condition exactly as the list sends it, planned alone by the owner (no RLS condition)
  expect(where).toHaveLength(2);
  const query = new PgDialect().sqlToQuery(sql`select f.id from findings f where ${where?.[1]}`);
  const client = await s.h.ctx.ownerPool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL enable_seqscan = off");
    await client.query("SET LOCAL enable_indexscan = off");
    const res = await client.query(`EXPLAIN ${query.sql}`, query.params);
    return res.rows.map((r) => r["QUERY PLAN"]).join("\n");
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
}

describe("q= and the trigram index", () => {
  it.each(["liblzma", "LOONEY_tun", "KSV-00", "100%"])(
    "%s is a bitmap over findings_search_idx",
    async (q) => {
      expect(await plan(q)).toContain("findings_search_idx");
    },
  );

  it("finds the same findings through the route, case-insensitively, with LIKE's wildcards taken literally", async () => {
    const ids = async (q: string) =>
      (await s.get<{ items: { ruleId: string }[] }>(t, `/v1/findings?q=${encodeURIComponent(q)}`)).body.items
        .map((f) => f.ruleId)
        .sort();
    expect(await ids("LIBLZMA")).toEqual(["CVE-2024-3094"]);
    expect(await ids("ksv-00")).toEqual(["KSV-0017"]);
    expect(await ids("100%")).toEqual(["CVE-2023-4911"]);
    expect(await ids("_")).toEqual(["CVE-2023-4911"]);
  });
});
