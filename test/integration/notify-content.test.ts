import type { Summary } from "@bulwark/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { draft } from "../support/factories.js";
import { Scenario, type ScenarioTenant } from "../support/scenario.js";

/**
 * What a summary says for a rule's filters, read through the preview route (the renderer's input is the
 * webhook document's `data`): counts, grouped top items, SLA, expiring suppressions, silent clusters; and
 * that one tenant's rule never sees another tenant's data.
 */
let s: Scenario;
let a: ScenarioTenant;
let b: ScenarioTenant;
const DAY = 86_400_000;

const vuln = (ruleId: string, severity: "critical" | "high" | "medium", namespace: string, name: string) =>
  draft({
    ruleId,
    severity,
    title: `${ruleId} in openssl`,
    resource: { kind: "Deployment", namespace, name, container: "app", image: "nginx:1.25" },
  });

async function seed(t: ScenarioTenant): Promise<void> {
  await s.apply(t, "prod-eu-1", [
    vuln("CVE-2026-0001", "critical", "payments-api", "checkout"),
    vuln("CVE-2026-0001", "critical", "payments-api", "ledger"),
    vuln("CVE-2026-0001", "critical", "payments-web", "storefront"),
    vuln("CVE-2026-0002", "high", "payments-api", "checkout"),
    vuln("CVE-2026-0003", "medium", "payments-api", "checkout"),
    vuln("CVE-2026-0004", "critical", "web", "frontend"),
    vuln("CVE-2026-0005", "high", "payments-api", "refunds"),
  ]);
  await s.apply(t, "prod-us-1", [vuln("CVE-2026-0001", "critical", "payments-api", "checkout")]);
  // an old critical, opened 40 days ago: past its 15-day SLA
  await s.apply(t, "prod-eu-1", [vuln("CVE-2020-9999", "critical", "payments-old", "legacy")], {
    source: "trivy-operator",
    at: new Date(Date.now() - 40 * DAY),
  });
}

async function rule(t: ScenarioTenant, filters: Record<string, unknown>): Promise<string> {
  const r = await s.send<{ id: string }>(t, "POST", "/v1/notification-rules", {
    name: "payments team",
    schedule: { cron: "0 0 * * *", timezone: "UTC" },
    channel: { type: "webhook", url: "https://93.184.216.34/hook" },
    filters,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
}

async function preview(t: ScenarioTenant, id: string): Promise<Summary> {
  const r = await s.get<{ webhook: { data: Summary } }>(t, `/v1/notification-rules/${id}/preview`);
  expect(r.status).toBe(200);
  return r.body.webhook.data;
}

beforeAll(async () => {
  s = await Scenario.create();
  a = await s.tenant("alpha", ["prod-eu-1", "prod-us-1", "staging"]);
  b = await s.tenant("beta", ["prod-eu-1", "prod-us-1", "staging"]);
  await seed(a);
  // beta has only one medium finding
  await s.apply(b, "prod-eu-1", [vuln("CVE-2026-7777", "medium", "payments-api", "checkout")]);
  // staging never reported and was registered three days ago: silent
  await s.h.ctx.ownerPool.query(
    "update clusters set created_at = now() - interval '3 days' where name = 'staging'",
  );
});
afterAll(async () => {
  await s?.close();
});

describe("summary content for a rule's filters", () => {
  it("counts and groups only what the filters select: cluster, namespace globs, minimum severity", async () => {
    const id = await rule(a, { clusters: ["prod-eu-1"], namespaces: ["payments-*"], minSeverity: "high" });
    const sum = await preview(a, id);
    expect(sum.filters.clusters.map((c) => c.name)).toEqual(["prod-eu-1"]);
    // 3 CVE-0001 + 1 CVE-0002 + 1 CVE-0005 + the old one (recorded in this period); not web/, not medium, not prod-us-1
    expect(sum.changes.new).toEqual({ critical: 4, high: 2, medium: 0, low: 0, info: 0 });
    const lines = sum.topNew.items.map((g) => [g.ruleId, g.severity, g.workloads, g.namespaces]);
    expect(lines).toEqual([
      ["CVE-2026-0001", "critical", 3, 2],
      ["CVE-2020-9999", "critical", 1, 1],
      ["CVE-2026-0002", "high", 1, 1],
      ["CVE-2026-0005", "high", 1, 1],
    ]);
    expect(sum.topNew.items[0]?.link).toMatch(
      new RegExp(`/v1/findings\\?ruleId=CVE-2026-0001&cluster=${a.clusters["prod-eu-1"]}$`),
    );
    expect(sum.sla.breaches.critical).toBe(1);
    expect(sum.sla.items.map((x) => x.title)).toEqual(["CVE-2020-9999 in openssl"]);
    expect(sum.sla.items[0]?.overdueDays).toBeGreaterThanOrEqual(24);
    expect(sum.silentClusters).toEqual([]); // staging is not among the rule's clusters
    expect(sum.unchanged).toBe(false);
    expect(sum.posture?.score).toBeGreaterThan(0);
  });

  it("without filters: every cluster, and the silent one listed", async () => {
    const id = await rule(a, {});
    const sum = await preview(a, id);
    expect(sum.changes.new.critical).toBe(6);
    expect(sum.changes.new.medium).toBe(1);
    expect(sum.topNew.items[0]).toMatchObject({ ruleId: "CVE-2026-0001", workloads: 4, clusters: 2 });
    expect(sum.silentClusters).toEqual([expect.objectContaining({ name: "staging", lastReportAt: null })]);
  });

  it("resolutions and suppressions ending within 7 days", async () => {
    const t = await s.tenant("gamma", ["prod-eu-1"]);
    await s.apply(t, "prod-eu-1", [
      vuln("CVE-2026-0001", "critical", "payments-api", "checkout"),
      vuln("CVE-2026-0002", "high", "payments-api", "checkout"),
    ]);
    await s.apply(t, "prod-eu-1", [vuln("CVE-2026-0001", "critical", "payments-api", "checkout")]);
    const sup = await s.send(t, "POST", "/v1/suppressions", {
      selector: { ruleId: "CVE-2026-0001" },
      reason: "vendor patch due Friday",
      expiresAt: new Date(Date.now() + 3 * DAY).toISOString(),
    });
    expect(sup.status).toBe(201);
    const sum = await preview(t, await rule(t, { namespaces: ["payments-api"] }));
    expect(sum.changes.resolved).toEqual({ critical: 0, high: 1, medium: 0, low: 0, info: 0 });
    expect(sum.expiringSuppressions.findings).toBe(1);
    expect(sum.expiringSuppressions.items).toEqual([
      expect.objectContaining({ reason: "vendor patch due Friday", selector: "rule CVE-2026-0001" }),
    ]);
  });

  it("one tenant's rule never sees another tenant's data", async () => {
    const idB = await rule(b, {});
    const sumB = await preview(b, idB);
    expect(sumB.tenant.id).toBe(b.tenantId);
    expect(sumB.changes.new).toEqual({ critical: 0, high: 0, medium: 1, low: 0, info: 0 });
    expect(sumB.topNew.items).toEqual([]);
    expect(sumB.sla.breaches.critical).toBe(0);
    expect(JSON.stringify(sumB)).not.toContain("CVE-2026-0001");
    // a rule that names the other tenant's cluster id is refused
    const foreign = await s.send(b, "POST", "/v1/notification-rules", {
      name: "x",
      schedule: { cron: "0 0 * * *", timezone: "UTC" },
      channel: { type: "webhook", url: "https://93.184.216.34/hook" },
      filters: { clusters: [a.clusters["prod-eu-1"]] },
    });
    expect(foreign.status).toBe(400);
  });
});
