import { type Summary, summarySchema, webhookPayloadSchema } from "@bulwark/schema";
import { describe, expect, it } from "vitest";
import { blockKitViolations } from "../../../test/support/receiver.js";
import { renderEmail } from "../src/render/email.js";
import { renderSlack } from "../src/render/slack.js";
import { renderWebhook } from "../src/render/webhook.js";

const zero = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };

function summary(over: Partial<Summary> = {}): Summary {
  return {
    version: 1,
    kind: "scheduled",
    tenant: { id: "ten_1", name: "Acme & Co" },
    rule: { id: "nrl_1", name: "platform <team>" },
    period: {
      start: "2026-11-22T23:00:00.000Z",
      end: "2026-11-23T23:00:00.000Z",
      timezone: "Asia/Tokyo",
      late: false,
    },
    generatedAt: "2026-11-23T23:00:15.000Z",
    filters: {
      clusters: [{ id: "cls_1", name: "prod-eu-1" }],
      namespaces: ["payments-*"],
      sources: [],
      strategies: [],
      categories: [],
      minSeverity: "high",
    },
    report: null,
    unchanged: false,
    posture: {
      score: 72,
      previousScore: 75,
      change: -3,
      strategies: [
        {
          id: "PROT-MTLS",
          name: "Service-to-service authentication",
          score: 55,
          previousScore: 60,
          change: -5,
        },
      ],
    },
    changes: { new: { ...zero, critical: 2, high: 5 }, reopened: zero, resolved: { ...zero, high: 3 } },
    topNew: {
      items: [
        {
          ruleId: "CVE-2024-0001",
          title: "openssl: <script>alert(1)</script> & more",
          severity: "critical",
          source: "trivy",
          image: null,
          findings: 112,
          workloads: 112,
          namespaces: 7,
          clusters: 2,
          link: "https://bulwark.example.com/v1/findings?ruleId=CVE-2024-0001",
        },
      ],
      more: 0,
    },
    expiringSuppressions: {
      findings: 4,
      items: [
        {
          id: "sup_1",
          reason: "vendor fix due",
          expiresAt: "2026-11-27T00:00:00.000Z",
          selector: "rule CVE-2023-1",
        },
      ],
      more: 0,
    },
    sla: { breaches: { critical: 1, high: 0, medium: 0, low: 0 }, items: [], more: 1 },
    silentClusters: [
      { id: "cls_2", name: "prod-us-1", lastReportAt: "2026-11-21T00:00:00.000Z", silentHours: 71 },
    ],
    links: {
      changes: "https://bulwark.example.com/v1/changes",
      findings: "https://bulwark.example.com/v1/findings",
      sla: "https://bulwark.example.com/v1/sla",
      posture: "https://bulwark.example.com/v1/posture/history",
      rule: "https://bulwark.example.com/v1/notification-rules/nrl_1",
    },
    ...over,
  };
}

describe("email", () => {
  it("has a plain-text part that says it all, and HTML with everything escaped", () => {
    const m = renderEmail(summary());
    expect(m.subject).toBe("[Bulwark] platform <team>: 2 new critical, 5 new high · score 72/100 (−3)");
    expect(m.text).toContain("Posture: 72/100 (−3)");
    expect(m.text).toContain("New:      2 critical · 5 high");
    expect(m.text).toContain("Resolved: 3 high");
    expect(m.text).toContain(
      "[critical] CVE-2024-0001 — openssl: <script>alert(1)</script> & more (112 workloads, 7 namespaces, 2 clusters)",
    );
    expect(m.text).toContain("prod-us-1: last report 71 h ago");
    expect(m.text).toContain("Mon, 23 Nov 2026, 08:00 → Tue, 24 Nov 2026, 08:00 (Asia/Tokyo)");
    expect(m.html).not.toContain("<script>");
    expect(m.html).toContain("&lt;script&gt;");
    expect(m.html).toContain("platform &lt;team&gt;");
    expect(m.html).not.toMatch(/<img/);
  });

  it("a late summary says so", () => {
    const m = renderEmail(summary({ period: { ...summary().period, late: true } }));
    expect(m.subject).toMatch(/^\[Bulwark\] \(late\) /);
    expect(m.text).toContain("Sent late");
  });
});

describe("Slack", () => {
  it("stays within Block Kit's limits however much there is to say, with an overflow line", () => {
    const long = "x".repeat(2500);
    const items = Array.from(
      { length: 10 },
      (_, i) =>
        ({
          ...summary().topNew.items[0],
          ruleId: `CVE-2024-${i}`,
          title: long,
        }) as Summary["topNew"]["items"][number],
    );
    const s = summary({
      rule: { id: "nrl_1", name: "n".repeat(400) },
      topNew: { items, more: 190 },
      posture: {
        score: 10,
        previousScore: 90,
        change: -80,
        strategies: Array.from({ length: 30 }, (_, i) => ({
          id: `S-${i}`,
          name: long,
          score: 1,
          previousScore: 2,
          change: -1,
        })),
      },
      sla: {
        breaches: { critical: 400, high: 0, medium: 0, low: 0 },
        items: Array.from({ length: 5 }, (_, i) => ({
          id: `fnd_${i}`,
          title: long,
          severity: "critical" as const,
          cluster: "c",
          resource: "ns/Deployment/x",
          overdueDays: 3,
          link: "https://x/",
        })),
        more: 395,
      },
      silentClusters: Array.from({ length: 300 }, (_, i) => ({
        id: `cls_${i}`,
        name: `cluster-${i}-${"y".repeat(50)}`,
        lastReportAt: null,
        silentHours: null,
      })),
    });
    const msg = renderSlack(s);
    expect(blockKitViolations(msg)).toEqual([]);
    const all = JSON.stringify(msg.blocks);
    expect(all).toContain("more: <https://bulwark.example.com/v1/changes|see all>");
  });

  it("escapes mrkdwn control characters", () => {
    const msg = renderSlack(summary());
    const all = JSON.stringify(msg.blocks);
    expect(all).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more");
    expect(blockKitViolations(msg)).toEqual([]);
  });
});

describe("webhook", () => {
  it("matches its published schema", () => {
    const s = summary();
    expect(summarySchema.safeParse(s).success).toBe(true);
    const p = renderWebhook(s, "dlv_1");
    expect(webhookPayloadSchema.parse(p)).toEqual(p);
    expect(p.type).toBe("bulwark.summary");
  });
});
