import { randomBytes } from "node:crypto";
import { FINDING_COLUMNS, FINDING_FROM, type FindingRow, queryRows } from "@bulwark/insights";
import { withTenant } from "@bulwark/runtime";
import type { FindingDraft } from "@bulwark/schema";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../test/support/context.js";
import { draft, seedReport, seedTenant } from "../../../test/support/factories.js";
import { openPayload } from "../src/jobs/payload-source.js";
import type { KeepOpen } from "../src/parsers/tolerance.js";
import { applySnapshot } from "../src/snapshot/apply.js";
import { dedupeByFingerprint } from "../src/snapshot/rows.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

let seq = 0;
const at = (minutes: number) => new Date(Date.UTC(2026, 10, 23, 10, minutes));
type Tenant = { tenantId: string; clusterId: string };

async function apply(
  t: Tenant,
  drafts: FindingDraft[],
  collectedAt: Date,
  opts: { namespaces?: string[]; keepOpen?: KeepOpen[] } = {},
) {
  const reportId = `rpt_rescan${++seq}`;
  const scopeKey = opts.namespaces ? `ns:${opts.namespaces.join(",")}` : "*";
  return withTenant(ctx.pool, t.tenantId, (_db, client) =>
    applySnapshot(
      client,
      {
        ...t,
        source: "trivy",
        reportId,
        collectedAt,
        scopeKey,
        namespaces: opts.namespaces ?? null,
        keepOpen: opts.keepOpen ?? [],
      },
      dedupeByFingerprint("trivy", drafts),
    ),
  );
}

/** Physical identity of every finding row: an UPDATE (even to the same values) changes xmin and ctid. */
async function rowVersions(t: Tenant): Promise<Record<string, string>> {
  const r = await ctx.ownerPool.query<{ rule_id: string; v: string }>(
    "SELECT rule_id, xmin::text || '@' || ctid::text AS v FROM findings WHERE tenant_id = $1",
    [t.tenantId],
  );
  return Object.fromEntries(r.rows.map((x) => [x.rule_id, x.v]));
}

async function events(t: Tenant): Promise<number> {
  const r = await ctx.ownerPool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM finding_events WHERE tenant_id = $1",
    [t.tenantId],
  );
  return r.rows[0]?.n ?? 0;
}

/** What the API reads (the same columns and joins as GET /v1/findings), by rule id. */
async function seenAsApi(
  t: Tenant,
): Promise<Record<string, { status: string; first: string; last: string }>> {
  const rows = await withTenant(ctx.pool, t.tenantId, (_db, client) =>
    queryRows<FindingRow>(
      client,
      sql`select ${FINDING_COLUMNS} ${FINDING_FROM} where f.tenant_id = ${t.tenantId} order by f.rule_id`,
    ),
  );
  return Object.fromEntries(
    rows.map((f) => [
      f.rule_id,
      { status: f.status, first: f.first_seen_at.toISOString(), last: f.last_seen_at.toISOString() },
    ]),
  );
}

const a = draft({ ruleId: "CVE-A" });
const b = draft({ ruleId: "CVE-B" });
const c = draft({ ruleId: "CVE-C" });

describe("an unchanged re-scan writes no finding row", () => {
  it("moves only the head, and lastSeenAt follows it", async () => {
    const t = await seedTenant(ctx.ownerPool, "rescan");
    await apply(t, [a, b, c], at(0));
    const before = await rowVersions(t);
    const eventsBefore = await events(t);

    const again = await apply(t, [c, b, a], at(10));
    expect(again.stats).toEqual({ findings: 3, new: 0, unchanged: 3, resolved: 0, reopened: 0 });
    expect(await rowVersions(t)).toEqual(before);
    expect(await events(t)).toBe(eventsBefore);
    const seen = await seenAsApi(t);
    for (const rule of ["CVE-A", "CVE-B", "CVE-C"]) {
      expect(seen[rule]).toEqual({ status: "open", first: at(0).toISOString(), last: at(10).toISOString() });
    }
    const head = await ctx.ownerPool.query(
      "SELECT collected_at FROM snapshot_heads WHERE tenant_id = $1 AND cluster_id = $2",
      [t.tenantId, t.clusterId],
    );
    expect(head.rows[0].collected_at.toISOString()).toBe(at(10).toISOString());
  });

  it("a resolved finding keeps the last time a snapshot confirmed it", async () => {
    const t = await seedTenant(ctx.ownerPool, "rescan-resolve");
    await apply(t, [a, b, c], at(0));
    await apply(t, [a, b, c], at(10));
    const gone = await apply(t, [a, c], at(20));
    expect(gone.stats).toMatchObject({ resolved: 1, unchanged: 2 });
    const seen = await seenAsApi(t);
    expect(seen["CVE-B"]).toMatchObject({ status: "resolved", last: at(10).toISOString() });
    expect(seen["CVE-A"]?.last).toBe(at(20).toISOString());
    // still seen at 20 when a later snapshot no longer has it
    await apply(t, [c], at(30));
    expect((await seenAsApi(t))["CVE-A"]).toMatchObject({ status: "resolved", last: at(20).toISOString() });
  });

  it("a finding kept open but not seen stops following the head", async () => {
    const t = await seedTenant(ctx.ownerPool, "rescan-keep");
    await apply(t, [a, c], at(0));
    await apply(t, [a, c], at(10));
    // CVE-C could not be evaluated: neither confirmed nor resolved
    await apply(t, [a], at(20), { keepOpen: [{ ruleId: "CVE-C" }] });
    let seen = await seenAsApi(t);
    expect(seen["CVE-C"]).toMatchObject({ status: "open", last: at(10).toISOString() });
    expect(seen["CVE-A"]?.last).toBe(at(20).toISOString());
    // the next such snapshot writes nothing: the kept finding is already detached
    const before = await rowVersions(t);
    await apply(t, [a], at(30), { keepOpen: [{ ruleId: "CVE-C" }] });
    expect(await rowVersions(t)).toEqual(before);
    seen = await seenAsApi(t);
    expect(seen["CVE-C"]?.last).toBe(at(10).toISOString());
    expect(seen["CVE-A"]?.last).toBe(at(30).toISOString());
    // seen again: attached again, and refreshed
    const back = await apply(t, [a, c], at(40));
    expect(back.stats).toMatchObject({ new: 0, reopened: 0, unchanged: 2 });
    expect((await seenAsApi(t))["CVE-C"]?.last).toBe(at(40).toISOString());
  });

  it("rewrites a finding whose content changed, without a history entry", async () => {
    const t = await seedTenant(ctx.ownerPool, "rescan-change");
    await apply(t, [a, b], at(0));
    const before = await rowVersions(t);
    const eventsBefore = await events(t);
    await apply(t, [{ ...a, title: "A, described better" }, b], at(10));
    const after = await rowVersions(t);
    expect(after["CVE-A"]).not.toBe(before["CVE-A"]);
    expect(after["CVE-B"]).toBe(before["CVE-B"]);
    expect(await events(t)).toBe(eventsBefore);
  });

  it("a finding seen by another scope follows that scope's head", async () => {
    const t = await seedTenant(ctx.ownerPool, "rescan-scope");
    await apply(t, [a], at(0));
    // a namespace-scoped snapshot of `web` (the factory's namespace) sees it too: it moves to that head
    await apply(t, [a], at(10), { namespaces: ["web"] });
    await apply(t, [a], at(20), { namespaces: ["web"] });
    expect((await seenAsApi(t))["CVE-A"]?.last).toBe(at(20).toISOString());
    const before = await rowVersions(t);
    await apply(t, [a], at(30), { namespaces: ["web"] });
    expect(await rowVersions(t)).toEqual(before);
    expect((await seenAsApi(t))["CVE-A"]?.last).toBe(at(30).toISOString());
  });
});

describe("a payload kept in Postgres is read in slices", () => {
  it("reassembles exactly the stored bytes, whatever the slice size", async () => {
    const t = await seedTenant(ctx.ownerPool, "slices");
    const report = { ClusterName: "c", Resources: [], filler: randomBytes(5_000).toString("base64") };
    const id = await seedReport(ctx.ownerPool, t, {
      source: "trivy",
      collectedAt: at(0).toISOString(),
      report,
    });
    const stored = await ctx.ownerPool.query<{ payload: Buffer }>(
      "SELECT payload FROM reports WHERE id = $1",
      [id],
    );
    for (const slice of [1_000, 4_096, 1 << 20]) {
      const s = await openPayload(
        ctx.pool,
        { tenantId: t.tenantId, id, payloadInDb: true, payloadKey: null },
        null,
        slice,
      );
      const parts: Buffer[] = [];
      for await (const b of s ?? []) parts.push(b as Buffer);
      expect(Buffer.concat(parts)).toEqual(stored.rows[0]?.payload);
    }
  });
});
