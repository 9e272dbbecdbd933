import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SORT_KEYS } from "../src/services/findings/sort.js";
import { call, createCluster, createTenant } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";
import { seedFindings } from "./support/seed.js";

type Page = { items: { id: string }[]; nextCursor: string | null };

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

const ORDER: Record<(typeof SORT_KEYS)[number], string> = {
  severity: "severity_rank, last_seen_at desc, id desc",
  "-severity": "severity_rank desc, last_seen_at, id",
  lastSeenAt: "last_seen_at, id",
  "-lastSeenAt": "last_seen_at desc, id desc",
  firstSeenAt: "first_seen_at, id",
  "-firstSeenAt": "first_seen_at desc, id desc",
  ruleId: "rule_id, id",
  "-ruleId": "rule_id desc, id desc",
};

describe("status=all pages (one page per stored status, merged)", () => {
  it("walks open and resolved findings together in every sort's order, none missed or repeated", async () => {
    const { tenantId, token } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "all-statuses");
    const { clusterId } = await createCluster(h.app, token, "c");
    const base = Date.UTC(2026, 10, 1);
    const severities = ["critical", "high", "medium", "low", "info"] as const;
    await seedFindings(
      h.ctx.ownerPool,
      tenantId,
      Array.from({ length: 90 }, (_, i) => ({
        clusterId,
        ruleId: `RULE-${i % 7}`,
        severity: severities[i % 5],
        status: i % 3 === 0 ? ("resolved" as const) : ("open" as const),
        firstSeenAt: new Date(base - (i % 11) * 60_000),
        lastSeenAt: new Date(base + (i % 13) * 1000),
      })),
    );
    for (const sort of SORT_KEYS) {
      const expected = await h.ctx.ownerPool.query<{ id: string }>(
        `select id from findings where tenant_id = $1 order by ${ORDER[sort]}`,
        [tenantId],
      );
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const q = `/v1/findings?status=all&sort=${sort}&limit=8${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
        const res: { status: number; body: Page } = await call<Page>(h.app, "GET", q, { token });
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((f) => f.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen, sort).toEqual(expected.rows.map((r) => r.id));
    }
  });
});
