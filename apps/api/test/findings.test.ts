import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createCluster, createTenant } from "./support/client.js";
import { createHarness, type Harness } from "./support/harness.js";
import { seedFindings } from "./support/seed.js";

type Finding = Record<string, unknown> & { id: string; status: string; ruleId: string; severity: string };
type Page = { items: Finding[]; nextCursor: string | null };
type Problem = { status: number; errors?: { location: string; message: string }[] };

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

async function list(token: string, query = ""): Promise<Finding[]> {
  const res = await call<Page>(h.app, "GET", `/v1/findings?limit=500&${query}`, { token });
  expect(res.status).toBe(200);
  return res.body.items;
}

describe("keyset paging", () => {
  it("walks 250 findings in pages of 100 in severity, then recency, then id order", async () => {
    const { tenantId, token } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "paging");
    const { clusterId } = await createCluster(h.app, token, "big");
    // 25 distinct last-seen times so many rows tie and the id decides; microseconds the cursor must keep
    const base = Date.UTC(2026, 10, 1);
    await seedFindings(
      h.ctx.ownerPool,
      tenantId,
      Array.from({ length: 250 }, (_, i) => ({ clusterId, lastSeenAt: new Date(base + (i % 25) * 1000) })),
    );
    await h.ctx.ownerPool.query(
      "update findings set last_seen_at = last_seen_at + make_interval(secs => (ascii(right(id, 1)) % 7) / 1000000.0) where tenant_id = $1",
      [tenantId],
    );
    const expected = await h.ctx.ownerPool.query<{ id: string }>(
      "select id from findings where tenant_id = $1 order by severity_rank, last_seen_at desc, id desc",
      [tenantId],
    );

    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: Page } = await call<Page>(
        h.app,
        "GET",
        `/v1/findings?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        { token },
      );
      expect(res.status).toBe(200);
      sizes.push(res.body.items.length);
      seen.push(...res.body.items.map((f) => f.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([100, 100, 50]);
    expect(new Set(seen).size).toBe(250);
    expect(seen).toEqual(expected.rows.map((r) => r.id));
  });

  it("returns nextCursor null when the last page is exactly full", async () => {
    const { tenantId, token } = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "exact");
    const { clusterId } = await createCluster(h.app, token, "small");
    await seedFindings(
      h.ctx.ownerPool,
      tenantId,
      Array.from({ length: 3 }, () => ({ clusterId })),
    );
    const first = await call<Page>(h.app, "GET", "/v1/findings?limit=3", { token });
    expect(first.body.items).toHaveLength(3);
    expect(first.body.nextCursor).toBeNull();
  });
});

describe("filters and shape", () => {
  let token: string;
  let ids: Record<string, string>;
  let clusterId: string;

  beforeAll(async () => {
    const t = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "filters");
    token = t.token;
    ({ clusterId } = await createCluster(h.app, token, "prod"));
    const { clusterId: stagingId } = await createCluster(h.app, token, "staging");
    const seeded = await seedFindings(h.ctx.ownerPool, t.tenantId, [
      { clusterId, ruleId: "CVE-2024-0001", title: "OpenSSL overflow", severity: "critical" },
      {
        clusterId,
        ruleId: "KSV001",
        title: "Runs as root (100% sure)",
        severity: "high",
        source: "trivy-operator",
        category: "LP",
        strategy: "LP-CTR",
      },
      {
        clusterId,
        ruleId: "1.2.1",
        title: "Anonymous auth",
        severity: "medium",
        source: "kube-bench",
        category: "PLAT",
        strategy: "PLAT-CIS",
        kind: null,
        namespace: null,
        name: null,
      },
      { clusterId, ruleId: "CVE-2023-9999", title: "Old bug", severity: "low", status: "resolved" },
      {
        clusterId: stagingId,
        ruleId: "CVE-2024-0001",
        title: "OpenSSL overflow",
        severity: "critical",
        namespace: "payments",
        kind: "StatefulSet",
        name: "db",
        firstSeenAt: new Date("2026-11-20T00:00:00Z"),
      },
    ]);
    ids = {
      cve: seeded[0] ?? "",
      root: seeded[1] ?? "",
      bench: seeded[2] ?? "",
      old: seeded[3] ?? "",
      staging: seeded[4] ?? "",
    };
  });

  it("renders the contract's Finding shape", async () => {
    const [f] = await list(token, "ruleId=1.2.1");
    expect(f).toEqual({
      id: ids.bench,
      fingerprint: expect.any(String),
      cluster: { id: clusterId, name: "prod" },
      source: "kube-bench",
      ruleId: "1.2.1",
      title: "Anonymous auth",
      severity: "medium",
      status: "open",
      resource: { kind: null, namespace: null, name: null, container: null, image: null },
      taxonomy: { category: "PLAT", strategy: "PLAT-CIS", nist: ["SP 800-204 MS-SS-9"], mapped: true },
      firstSeenAt: expect.any(String),
      lastSeenAt: expect.any(String),
      resolvedAt: null,
      remediation: "upgrade",
      references: ["https://example.com/advisory"],
      details: { pkg: "openssl" },
    });
  });

  it.each([
    ["", ["cve", "staging", "root", "bench"]],
    ["status=resolved", ["old"]],
    ["status=all", ["cve", "staging", "root", "bench", "old"]],
    ["cluster=staging", ["staging"]],
    ["cluster=unknown", []],
    ["source=trivy-operator", ["root"]],
    ["severity=critical,medium", ["cve", "staging", "bench"]],
    ["severity=HIGH", ["root"]],
    ["category=LP", ["root"]],
    ["strategy=PLAT-CIS", ["bench"]],
    ["namespace=payments", ["staging"]],
    ["kind=StatefulSet", ["staging"]],
    ["name=frontend", ["cve", "root"]],
    ["ruleId=CVE-2024-0001", ["cve", "staging"]],
    ["q=openssl", ["cve", "staging"]],
    ["q=ksv", ["root"]],
    ["q=100%25", ["root"]],
    ["q=%25", ["root"]],
    ["q=_", []],
    ["since=2026-11-10T00:00:00Z", ["staging"]],
    ["since=2026-11-20T00:00:00Z", ["staging"]],
    ["since=2026-11-20T00:00:00.001Z", []],
    ["since=2026-11-01T00:00:00%2B00:00", ["cve", "staging", "root", "bench"]],
    ["cluster=prod&severity=critical", ["cve"]],
  ])("?%s", async (query, expected) => {
    const items = await list(token, query);
    expect(items.map((f) => f.id).sort()).toEqual(expected.map((k) => ids[k]).sort());
  });

  it.each([
    ["severity=urgent", "query.severity"],
    ["status=closed", "query.status"],
    ["category=NOPE", "query.category"],
    ["strategy=NOPE", "query.strategy"],
    ["source=nessus", "query.source"],
    ["since=yesterday", "query.since"],
    ["limit=0", "query.limit"],
    ["limit=501", "query.limit"],
    ["cursor=%7B%7D", "query.cursor"],
  ])("400 for ?%s", async (query, location) => {
    const res = await call<Problem>(h.app, "GET", `/v1/findings?${query}`, { token });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.location)[0]).toMatch(
      new RegExp(`^${location.replace(".", "\\.")}`),
    );
  });
});

describe("suppressed is derived at read time", () => {
  it("follows suppressions as they are created, expire and are deleted", async () => {
    const t = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "suppressed");
    const { clusterId } = await createCluster(h.app, t.token, "prod");
    const [a = "", b = "", c = ""] = await seedFindings(h.ctx.ownerPool, t.tenantId, [
      { clusterId, ruleId: "R1", namespace: "web" },
      { clusterId, ruleId: "R1", namespace: "payments" },
      { clusterId, ruleId: "R2", status: "resolved" },
    ]);
    const sup = await call<{ id: string }>(h.app, "POST", "/v1/suppressions", {
      token: t.token,
      body: {
        selector: { ruleId: "R1", namespace: "web", cluster: "prod" },
        reason: "false positive",
        expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      },
    });
    expect(sup.status).toBe(201);
    // an expired suppression matching R1 everywhere changes nothing
    await h.ctx.ownerPool.query(
      "insert into suppressions (id, tenant_id, rule_id, reason, expires_at) values ('sup_expired', $1, 'R1', 'old', now() - interval '1 minute')",
      [t.tenantId],
    );
    expect((await list(t.token)).map((f) => f.id)).toEqual([b]);
    expect((await list(t.token, "status=suppressed")).map((f) => [f.id, f.status])).toEqual([
      [a, "suppressed"],
    ]);
    const all = await list(t.token, "status=all");
    expect(Object.fromEntries(all.map((f) => [f.id, f.status]))).toEqual({
      [a]: "suppressed",
      [b]: "open",
      [c]: "resolved",
    });
    const one = await call<Finding>(h.app, "GET", `/v1/findings/${a}`, { token: t.token });
    expect(one.body.status).toBe("suppressed");

    expect((await call(h.app, "DELETE", `/v1/suppressions/${sup.body.id}`, { token: t.token })).status).toBe(
      204,
    );
    expect((await list(t.token)).map((f) => f.id).sort()).toEqual([a, b].sort());
  });
});

describe("GET /v1/findings/{id}", () => {
  it("returns the finding with its history, oldest first", async () => {
    const t = await createTenant(h.app, h.ctx.config.ADMIN_TOKEN, "history");
    const { clusterId } = await createCluster(h.app, t.token, "prod");
    const [id = ""] = await seedFindings(h.ctx.ownerPool, t.tenantId, [{ clusterId }]);
    await h.ctx.ownerPool.query(
      `insert into finding_events (tenant_id, finding_id, report_id, from_status, to_status, at) values
        ($1, $2, 'rpt_3', 'resolved', 'open', '2026-11-03T00:00:00Z'),
        ($1, $2, 'rpt_1', null, 'open', '2026-11-01T00:00:00Z'),
        ($1, $2, 'rpt_2', 'open', 'resolved', '2026-11-02T00:00:00Z')`,
      [t.tenantId, id],
    );
    const res = await call<Finding & { history: unknown[] }>(h.app, "GET", `/v1/findings/${id}`, {
      token: t.token,
    });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(id);
    expect(res.body.history).toEqual([
      { fromStatus: null, toStatus: "open", at: "2026-11-01T00:00:00.000Z", reportId: "rpt_1" },
      { fromStatus: "open", toStatus: "resolved", at: "2026-11-02T00:00:00.000Z", reportId: "rpt_2" },
      { fromStatus: "resolved", toStatus: "open", at: "2026-11-03T00:00:00.000Z", reportId: "rpt_3" },
    ]);
    expect((await call(h.app, "GET", "/v1/findings/fnd_nope", { token: t.token })).status).toBe(404);
  });
});
