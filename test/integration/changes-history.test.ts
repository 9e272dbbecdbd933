import { taxonomyFor } from "@bulwark/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordLapsedSuppressions } from "../../apps/worker/src/maintenance/lapsed-suppressions.js";
import { closePostureDays } from "../../apps/worker/src/posture/close-day.js";
import { silentLogger } from "../support/context.js";
import { draft } from "../support/factories.js";
import { Scenario, type ScenarioTenant } from "../support/scenario.js";

interface Change {
  type: string;
  at: string;
  reportId: string | null;
  suppressionId: string | null;
  finding: { id: string; ruleId: string; status: string; severity: string };
}
interface Point {
  at: string;
  score: number;
  open: Record<string, number>;
  resolved: number;
  estimated: boolean;
  strategies: { id: string; score: number }[];
}

let s: Scenario;
let t: ScenarioTenant;
const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const a = draft({ ruleId: "CVE-A", severity: "critical" });
const b = draft({ ruleId: "CVE-B", severity: "high" });
const c = draft({ ruleId: "KSV-C", severity: "medium", taxonomy: taxonomyFor("LP-CTR") });
const t0 = new Date(Date.now() - 3_600_000);
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const reports: string[] = [];
let suppressionId = "";

beforeAll(async () => {
  s = await Scenario.create();
  t = await s.tenant("hist", ["prod", "stage"]);
  reports.push(await s.apply(t, "prod", [a, b], { at: at(1) }));
  reports.push(await s.apply(t, "prod", [b, c], { at: at(2) })); // a resolved, c new
  reports.push(await s.apply(t, "prod", [a, b, c], { at: at(3) })); // a reopened
  reports.push(await s.apply(t, "stage", [a], { at: at(4), source: "kube-bench" }));
  const sup = await s.send<{ id: string }>(t, "POST", "/v1/suppressions", {
    selector: { ruleId: "KSV-C" },
    reason: "accepted for the test",
    expiresAt: new Date(Date.now() + DAY).toISOString(),
  });
  suppressionId = sup.body.id;
  await s.send(t, "DELETE", `/v1/suppressions/${suppressionId}`);
});
afterAll(async () => {
  await s?.close();
});

const since = () => encodeURIComponent(t0.toISOString());

describe("GET /v1/changes", () => {
  it("lists every transition in order with the report or suppression that caused it", async () => {
    const res = await s.get<{ items: Change[]; nextCursor: string | null }>(
      t,
      `/v1/changes?since=${since()}`,
    );
    expect(res.status).toBe(200);
    const seen = res.body.items.map((i) => `${i.type}:${i.finding.ruleId}`);
    expect(seen).toHaveLength(8);
    expect(seen.slice(0, 2).sort()).toEqual(["new:CVE-A", "new:CVE-B"]);
    expect(seen.slice(2, 4).sort()).toEqual(["new:KSV-C", "resolved:CVE-A"]);
    expect(seen.slice(4)).toEqual(["reopened:CVE-A", "new:CVE-A", "suppressed:KSV-C", "unsuppressed:KSV-C"]);
    const resolved = res.body.items.find((i) => i.type === "resolved");
    expect(resolved?.reportId).toBe(reports[1]);
    expect(resolved?.finding.status).toBe("open"); // the finding as it is now: reopened since
    const supp = res.body.items.filter((i) => i.type.endsWith("suppressed"));
    expect(supp.map((i) => i.suppressionId)).toEqual([suppressionId, suppressionId]);
    expect(supp.every((i) => i.reportId === null)).toBe(true);
    expect(res.body.nextCursor).toBeNull();
  });

  it("a window that starts after a finding was first seen still lists its later changes", async () => {
    const from = encodeURIComponent(at(1.5).toISOString());
    const res = await s.get<{ items: Change[] }>(t, `/v1/changes?since=${from}&ruleId=CVE-A&cluster=prod`);
    expect(res.body.items.map((i) => i.type)).toEqual(["resolved", "reopened"]);
  });

  it("filters by type, cluster name, source, severity and strategy", async () => {
    const q = (p: string) => s.get<{ items: Change[] }>(t, `/v1/changes?since=${since()}&${p}`);
    expect((await q("type=resolved,reopened")).body.items.map((i) => i.type)).toEqual([
      "resolved",
      "reopened",
    ]);
    expect((await q("cluster=stage")).body.items.map((i) => i.type)).toEqual(["new"]);
    expect((await q("source=kube-bench")).body.items).toHaveLength(1);
    expect((await q("severity=medium")).body.items.map((i) => i.type)).toEqual([
      "new",
      "suppressed",
      "unsuppressed",
    ]);
    expect((await q("strategy=LP-CTR&type=new")).body.items.map((i) => i.finding.ruleId)).toEqual(["KSV-C"]);
    expect((await q("cluster=nope")).body.items).toEqual([]);
  });

  it("walks the window page by page without repeats or gaps", async () => {
    const all = await s.get<{ items: Change[] }>(t, `/v1/changes?since=${since()}`);
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Change[]; nextCursor: string | null } } = await s.get(
        t,
        `/v1/changes?since=${since()}&limit=3${cursor ? `&cursor=${cursor}` : ""}`,
      );
      walked.push(...res.body.items.map((i) => `${i.type}:${i.finding.id}:${i.at}`));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(walked).toEqual(all.body.items.map((i) => `${i.type}:${i.finding.id}:${i.at}`));
  });

  it("honours the window and defaults to the last 7 days", async () => {
    const until = encodeURIComponent(at(2).toISOString());
    const res = await s.get<{ items: Change[] }>(t, `/v1/changes?since=${since()}&until=${until}`);
    expect(res.body.items.map((i) => i.type)).toEqual(["new", "new"]);
    const dflt = await s.get<{ items: Change[] }>(t, "/v1/changes");
    expect(dflt.body.items).toHaveLength(8);
  });

  it("records a lapsed suppression as unsuppressed, dated at its expiry", async () => {
    const sup = await s.send<{ id: string }>(t, "POST", "/v1/suppressions", {
      selector: { ruleId: "CVE-B" },
      reason: "short",
      expiresAt: new Date(Date.now() + DAY).toISOString(),
    });
    const expiry = new Date(Date.now() - 1000);
    await s.h.ctx.ownerPool.query("UPDATE suppressions SET expires_at = $2 WHERE id = $1", [
      sup.body.id,
      expiry,
    ]);
    await s.h.ctx.ownerPool.query(
      "UPDATE findings SET suppressed_until = $2 WHERE suppressed_until IS NOT NULL AND tenant_id = $1",
      [t.tenantId, expiry],
    );
    await s.h.ctx.ownerPool.query(
      "UPDATE posture_counts SET suppressed_until = $2 WHERE suppressed_until <> '-infinity' AND tenant_id = $1",
      [t.tenantId, expiry],
    );
    // before the sweep the finding already reads as open again
    const before = await s.get<{ items: { ruleId: string }[] }>(t, "/v1/findings?ruleId=CVE-B");
    expect(before.body.items).toHaveLength(1);
    await recordLapsedSuppressions(s.h.ctx.pool);
    const res = await s.get<{ items: Change[] }>(
      t,
      `/v1/changes?since=${since()}&type=unsuppressed&ruleId=CVE-B`,
    );
    expect(res.body.items).toHaveLength(1);
    expect(Date.parse(res.body.items[0]?.at ?? "")).toBe(expiry.getTime());
    expect(res.body.items[0]?.suppressionId).toBeNull();
  });

  it.each([
    ["since=yesterday", "query.since"],
    ["until=2026-02-31T00:00:00Z", "query.until"],
    ["type=new,gone", "query.type"],
    ["severity=urgent", "query.severity"],
    ["cursor=bm9wZQ", "query.cursor"],
    ["statuss=open", "query.statuss"],
    [
      `since=${encodeURIComponent(new Date().toISOString())}&until=${encodeURIComponent(new Date(0).toISOString())}`,
      "query.since",
    ],
  ])("answers 400 naming the parameter for %s", async (q, location) => {
    const res = await s.get<{ errors: { location: string }[] }>(t, `/v1/changes?${q}`);
    expect(res.status).toBe(400);
    expect(
      res.body.errors.some((e) => e.location === location || e.location.startsWith(`${location}.`)),
    ).toBe(true);
  });
});

describe("GET /v1/posture/history", () => {
  it("has today's point, equal to the posture, summed over clusters and per cluster", async () => {
    const posture = await s.get<{ score: number; open: Record<string, number> }>(t, "/v1/posture");
    const res = await s.get<{ points: Point[] }>(t, "/v1/posture/history");
    expect(res.status).toBe(200);
    const today = res.body.points.at(-1);
    expect(today?.at).toBe(day(0));
    expect(today?.open).toEqual(posture.body.open);
    expect(today?.score).toBe(posture.body.score);
    expect(today?.estimated).toBe(false);
    const stage = await s.get<{ points: Point[]; cluster: { name: string } }>(
      t,
      "/v1/posture/history?cluster=stage",
    );
    expect(stage.body.cluster.name).toBe("stage");
    expect(stage.body.points.at(-1)?.open.critical).toBe(1);
  });

  it("closes days nobody wrote by carrying the last state over, and reads missing days the same way", async () => {
    const prod = t.clusters.prod as string;
    const counts = JSON.stringify({ "INT-VULN": [4, 0, 0, 0, 0] });
    await s.h.ctx.ownerPool.query(
      "INSERT INTO posture_daily (tenant_id, cluster_id, day, counts, origin) VALUES ($1, $2, $3, $4, 'live')",
      [t.tenantId, prod, day(-6), counts],
    );
    // read before the closing job: days -5..-1 are carried in the read
    const read = await s.get<{ points: Point[] }>(t, `/v1/posture/history?cluster=prod&from=${day(-6)}`);
    expect(read.body.points.map((p) => p.at)).toEqual([-6, -5, -4, -3, -2, -1, 0].map(day));
    expect(read.body.points.slice(0, 6).every((p) => p.open.critical === 4)).toBe(true);
    const closed = await closePostureDays({ pool: s.h.ctx.pool, logger: silentLogger, historyDays: 800 });
    expect(closed.carried).toBeGreaterThanOrEqual(5);
    const rows = await s.h.ctx.ownerPool.query(
      "SELECT day::text, origin FROM posture_daily WHERE cluster_id = $1 ORDER BY day",
      [prod],
    );
    expect(rows.rows.map((r) => `${r.day}:${r.origin}`)).toEqual([
      `${day(-6)}:live`,
      ...[-5, -4, -3, -2, -1].map((d) => `${day(d)}:carried`),
      `${day(0)}:live`,
    ]);
    const after = await s.get<{ points: Point[] }>(t, `/v1/posture/history?cluster=prod&from=${day(-6)}`);
    expect(after.body.points.slice(1, 6).every((p) => p.estimated && p.open.critical === 4)).toBe(true);
  });

  it("gives one point per ISO week, labelled by its Monday", async () => {
    const res = await s.get<{ points: Point[] }>(t, `/v1/posture/history?interval=week&from=${day(-20)}`);
    expect(res.status).toBe(200);
    for (const p of res.body.points) expect(new Date(`${p.at}T00:00:00Z`).getUTCDay()).toBe(1);
    expect(res.body.points.length).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ["from=2026-13-01", 400],
    ["from=2026-02-30", 400],
    [`from=${day(0)}&to=${day(-1)}`, 400],
    [`from=${day(-1200)}`, 400],
    ["interval=month", 400],
    ["cluster=elsewhere", 404],
  ])("answers %s with %i", async (q, status) => {
    expect((await s.get(t, `/v1/posture/history?${q}`)).status).toBe(status);
  });
});

describe("history backfill", () => {
  it("replays an installation's status events into daily points when it has none before today", async () => {
    const old = await s.tenant("legacy", ["old"]);
    const oldId = old.clusters.old as string;
    await s.h.ctx.ownerPool.query(
      "UPDATE clusters SET created_at = now() - interval '30 days' WHERE id = $1",
      [oldId],
    );
    await s.apply(old, "old", [a, b], { at: new Date(Date.now() - 10 * DAY) });
    await s.apply(old, "old", [b], { at: new Date(Date.now() - 4 * DAY) });
    // what an installation that predates the history has: findings and events, no points before today
    await s.h.ctx.ownerPool.query("DELETE FROM posture_daily WHERE tenant_id = $1 AND day < $2", [
      old.tenantId,
      day(0),
    ]);
    const r = await closePostureDays({ pool: s.h.ctx.pool, logger: silentLogger, historyDays: 800 });
    expect(r.backfilled).toBe(10);
    const res = await s.get<{ points: Point[] }>(old, `/v1/posture/history?from=${day(-12)}`);
    const byDay = new Map(res.body.points.map((p) => [p.at, p]));
    expect(byDay.has(day(-11))).toBe(false);
    expect(byDay.get(day(-10))?.open).toMatchObject({ critical: 1, high: 1 });
    expect(byDay.get(day(-5))?.open).toMatchObject({ critical: 1, high: 1 });
    expect(byDay.get(day(-4))?.open).toMatchObject({ critical: 0, high: 1 });
    expect(byDay.get(day(-4))?.resolved).toBe(1);
    expect(byDay.get(day(-10))?.estimated).toBe(true);
    // a second run changes nothing
    const again = await closePostureDays({ pool: s.h.ctx.pool, logger: silentLogger, historyDays: 800 });
    expect(again.backfilled).toBe(0);
  });
});
