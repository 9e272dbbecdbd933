import { withTenant } from "@bulwark/runtime";
import type { FindingDraft } from "@bulwark/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../test/support/context.js";
import { draft, seedCluster, seedTenant } from "../../../test/support/factories.js";
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
function at(minutes: number): Date {
  return new Date(Date.UTC(2026, 10, 23, 10, minutes));
}

async function apply(
  t: { tenantId: string; clusterId: string },
  drafts: FindingDraft[],
  collectedAt: Date,
  opts: { source?: "trivy" | "kube-bench"; namespaces?: string[] } = {},
) {
  const reportId = `rpt_test${++seq}`;
  const source = opts.source ?? "trivy";
  const scopeKey = opts.namespaces ? `ns:${[...opts.namespaces].sort().join(",")}` : "*";
  const outcome = await withTenant(ctx.pool, t.tenantId, (_db, client) =>
    applySnapshot(
      client,
      { ...t, source, reportId, collectedAt, scopeKey, namespaces: opts.namespaces ?? null },
      dedupeByFingerprint(source, drafts),
    ),
  );
  return { reportId, outcome };
}

async function findings(tenantId: string, clusterId: string) {
  const r = await ctx.ownerPool.query(
    "SELECT id, rule_id, status, first_seen_at, last_seen_at, resolved_at, resource_namespace FROM findings WHERE tenant_id = $1 AND cluster_id = $2 ORDER BY rule_id",
    [tenantId, clusterId],
  );
  return r.rows as {
    id: string;
    rule_id: string;
    status: string;
    first_seen_at: Date;
    resolved_at: Date | null;
    resource_namespace: string | null;
  }[];
}

const a = draft({ ruleId: "CVE-A" });
const b = draft({ ruleId: "CVE-B" });
const c = draft({ ruleId: "CVE-C" });

describe("snapshot semantics (contract §1.4)", () => {
  it("opens, keeps, resolves and reopens with the same id and first-seen time", async () => {
    const t = await seedTenant(ctx.ownerPool, "snap");
    const first = await apply(t, [a, b, c], at(0));
    expect(first.outcome).toMatchObject({
      kind: "applied",
      stats: { findings: 3, new: 3, unchanged: 0, resolved: 0, reopened: 0 },
    });
    const initial = await findings(t.tenantId, t.clusterId);
    expect(initial.map((f) => f.status)).toEqual(["open", "open", "open"]);

    const second = await apply(t, [a, c], at(10));
    expect(second.outcome.stats).toEqual({ findings: 2, new: 0, unchanged: 2, resolved: 1, reopened: 0 });
    const afterResolve = await findings(t.tenantId, t.clusterId);
    const resolvedB = afterResolve.find((f) => f.rule_id === "CVE-B");
    expect(resolvedB?.status).toBe("resolved");
    expect(resolvedB?.resolved_at?.toISOString()).toBe(at(10).toISOString());

    const third = await apply(t, [a, b, c], at(20));
    expect(third.outcome.stats).toEqual({ findings: 3, new: 0, unchanged: 2, resolved: 0, reopened: 1 });
    const reopened = (await findings(t.tenantId, t.clusterId)).find((f) => f.rule_id === "CVE-B");
    const original = initial.find((f) => f.rule_id === "CVE-B");
    expect(reopened?.id).toBe(original?.id);
    expect(reopened?.status).toBe("open");
    expect(reopened?.resolved_at).toBeNull();
    expect(reopened?.first_seen_at.toISOString()).toBe(at(0).toISOString());

    const history = await ctx.ownerPool.query(
      "SELECT from_status, to_status FROM finding_events WHERE finding_id = $1 ORDER BY at, id",
      [original?.id],
    );
    expect(history.rows).toEqual([
      { from_status: null, to_status: "open" },
      { from_status: "open", to_status: "resolved" },
      { from_status: "resolved", to_status: "open" },
    ]);
  });

  it("ignores a snapshot older than the newest applied for the same scope", async () => {
    const t = await seedTenant(ctx.ownerPool, "order");
    await apply(t, [a, b], at(30));
    const before = await findings(t.tenantId, t.clusterId);
    const late = await apply(t, [a], at(20));
    expect(late.outcome.kind).toBe("superseded");
    expect(late.outcome.stats).toMatchObject({ findings: 1, new: 0, resolved: 0 });
    expect(await findings(t.tenantId, t.clusterId)).toEqual(before);
  });

  it("resolves only inside the snapshot's scope and source", async () => {
    const t = await seedTenant(ctx.ownerPool, "scope");
    const web = draft({ ruleId: "CVE-WEB" });
    const pay = draft({ ruleId: "CVE-PAY", resource: { ...web.resource, namespace: "payments" } });
    const node = draft({ ruleId: "CVE-NODE", resource: { ...web.resource, kind: "Node", namespace: null } });
    await apply(t, [web, pay, node], at(0));
    await apply(t, [draft({ ruleId: "1.2.1" })], at(0), { source: "kube-bench" });

    // a snapshot of namespace "web" only, now empty: only CVE-WEB resolves
    const scoped = await apply(t, [], at(5), { namespaces: ["web"] });
    expect(scoped.outcome.stats).toMatchObject({ findings: 0, resolved: 1 });
    const rows = await findings(t.tenantId, t.clusterId);
    expect(Object.fromEntries(rows.map((f) => [f.rule_id, f.status]))).toEqual({
      "1.2.1": "open",
      "CVE-NODE": "open",
      "CVE-PAY": "open",
      "CVE-WEB": "resolved",
    });
  });

  it("keeps clusters apart and merges one snapshot's duplicates", async () => {
    const t = await seedTenant(ctx.ownerPool, "multi");
    const other = await seedCluster(ctx.ownerPool, t.tenantId, "multi-staging");
    const dup = await apply(t, [a, a, b], at(0));
    expect(dup.outcome.stats).toMatchObject({ findings: 2, new: 2 });
    await apply({ tenantId: t.tenantId, clusterId: other }, [a], at(1));
    await apply(t, [], at(2));
    expect((await findings(t.tenantId, t.clusterId)).map((f) => f.status)).toEqual(["resolved", "resolved"]);
    expect((await findings(t.tenantId, other)).map((f) => f.status)).toEqual(["open"]);
  });

  it("serialises concurrent snapshots of one (cluster, source): an older one waiting on a newer one changes nothing", async () => {
    const t = await seedTenant(ctx.ownerPool, "race");
    await apply(t, [a, b, c], at(0));
    // a worker is applying the newer snapshot and has not committed yet…
    const busy = await ctx.pool.connect();
    await busy.query("BEGIN");
    await busy.query("SELECT set_config('bulwark.tenant_id', $1, true)", [t.tenantId]);
    const newer = await applySnapshot(
      busy,
      { ...t, source: "trivy", reportId: "rpt_newer", collectedAt: at(10), scopeKey: "*", namespaces: null },
      dedupeByFingerprint("trivy", [a]),
    );
    expect(newer.kind).toBe("applied");
    // …when another worker starts on an older one: it must wait, then see it is stale
    const older = apply(t, [a, b], at(5));
    await new Promise((r) => setTimeout(r, 300));
    await busy.query("COMMIT");
    busy.release();
    expect((await older).outcome.kind).toBe("superseded");
    const rows = await findings(t.tenantId, t.clusterId);
    expect(Object.fromEntries(rows.map((f) => [f.rule_id, f.status]))).toEqual({
      "CVE-A": "open",
      "CVE-B": "resolved",
      "CVE-C": "resolved",
    });
    const head = await ctx.ownerPool.query("SELECT report_id FROM snapshot_heads WHERE tenant_id = $1", [
      t.tenantId,
    ]);
    expect(head.rows).toEqual([{ report_id: "rpt_newer" }]);
  });

  it("writes nothing when the transaction fails midway", async () => {
    const t = await seedTenant(ctx.ownerPool, "atomic");
    await expect(
      withTenant(ctx.pool, t.tenantId, async (_db, client) => {
        await applySnapshot(
          client,
          { ...t, source: "trivy", reportId: "rpt_x", collectedAt: at(0), scopeKey: "*", namespaces: null },
          dedupeByFingerprint("trivy", [a, b]),
        );
        throw new Error("crash after apply");
      }),
    ).rejects.toThrow("crash after apply");
    expect(await findings(t.tenantId, t.clusterId)).toEqual([]);
  });
});
