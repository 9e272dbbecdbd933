/**
 * `q=` starts from the tenant's rule catalog (rule_titles, kept by the snapshot statement) and reads only the
 * matching rules' findings. Here the answer is compared with the plain condition over every finding of the
 * tenant, for substrings of rule ids and titles, case, LIKE's own wildcards, no match, a title changed by a
 * later scan, more matching rules than the catalog narrows to, and another tenant's titles.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { draft } from "../support/factories.js";
import { Scenario, type ScenarioTenant } from "../support/scenario.js";

let s: Scenario;
let t: ScenarioTenant;
let other: ScenarioTenant;

beforeAll(async () => {
  s = await Scenario.create();
  t = await s.tenant("searched", ["eu", "us"]);
  other = await s.tenant("neighbour", ["eu"]);
  const titles = [
    "Heap overflow in libssl",
    "Use after free in zlib",
    "100% CPU in parser_x",
    "Path a_b\\c",
    "Überlauf in Ärger",
  ];
  for (const cluster of ["eu", "us"]) {
    await s.apply(
      t,
      cluster,
      Array.from({ length: 60 }, (_, i) =>
        draft({
          ruleId: i % 3 === 0 ? `CVE-2024-${1000 + (i % 20)}` : `KSV-${String(i % 7).padStart(4, "0")}`,
          title: titles[i % titles.length] as string,
          resource: { kind: "Deployment", namespace: "web", name: `w${i}`, container: "c", image: "img:1" },
        }),
      ),
    );
    // 600 rules sharing a word: more than the catalog narrows a search to
    await s.apply(
      t,
      cluster,
      Array.from({ length: 600 }, (_, i) => draft({ ruleId: `WIDE-${i}`, title: `Common weakness ${i}` })),
      { source: "polaris" },
    );
  }
  await s.apply(other, "eu", [draft({ ruleId: "SECRET-1", title: "Only the neighbour has unicorn" })]);
}, 120_000);

afterAll(async () => {
  await s?.close();
});

async function searched(tenant: ScenarioTenant, q: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await s.get(
      tenant,
      `/v1/findings?status=all&limit=100&q=${encodeURIComponent(q)}${cursor ? `&cursor=${cursor}` : ""}`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    ids.push(...res.body.items.map((f) => f.id));
    cursor = res.body.nextCursor;
  } while (cursor);
  return ids.sort();
}

/** the plain condition over every finding of the tenant */
async function plain(tenant: ScenarioTenant, q: string): Promise<string[]> {
  const p = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const r = await s.h.ctx.ownerPool.query<{ id: string }>(
    `select id from findings where tenant_id = $1 and (title ilike $2 escape '\\' or rule_id ilike $2 escape '\\')`,
    [tenant.tenantId, p],
  );
  return r.rows.map((x) => x.id).sort();
}

describe("q= through the rule catalog", () => {
  it.each([
    "cve-2024-100", // part of some rule ids, another case
    "LIBSSL",
    "zlib",
    "100%", // LIKE's wildcard, literally
    "a_b", // LIKE's single-character wildcard, literally
    "b\\c", // the escape character, literally
    "KSV-0003",
    "üBERLAUF IN ä", // case folded beyond ASCII, as ILIKE does
    "Common weakness", // matches 600 rules: the catalog does not narrow
    "Common weakness 42", // matches rules 42 and 420–429
    "nothing like this",
    "unicorn", // only the neighbour's title
  ])("%s: the same findings as the condition over every finding", async (q) => {
    const expected = await plain(t, q);
    expect(await searched(t, q)).toEqual(expected);
    if (q === "nothing like this" || q === "unicorn") expect(expected).toEqual([]);
    if (q === "Common weakness") expect(expected).toHaveLength(1200);
  });

  it("finds a title a later scan changed, and every pair is in the catalog", async () => {
    await s.apply(t, "eu", [draft({ ruleId: "CVE-2024-1000", title: "Renamed: certificate bypass" })]);
    expect(await searched(t, "certificate bypass")).toEqual(await plain(t, "certificate bypass"));
    expect(await searched(t, "certificate bypass")).toHaveLength(1);
    const missing = await s.h.ctx.ownerPool.query(
      `select 1 from findings f where not exists (select 1 from rule_titles r
         where r.tenant_id = f.tenant_id and r.rule_id = f.rule_id and r.title_hash = md5(f.title)::uuid)`,
    );
    expect(missing.rowCount).toBe(0);
  });

  it("another tenant's catalog is invisible", async () => {
    expect(await searched(other, "unicorn")).toHaveLength(1);
    expect(await searched(other, "libssl")).toEqual([]);
  });
});
