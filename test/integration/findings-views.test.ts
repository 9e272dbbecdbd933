import { taxonomyFor } from "@bulwark/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { draft } from "../support/factories.js";
import { Scenario, type ScenarioTenant } from "../support/scenario.js";

interface F {
  id: string;
  ruleId: string;
  severity: string;
  firstSeenAt: string;
  lastSeenAt: string;
}
interface Page {
  items: F[];
  nextCursor: string | null;
}

let s: Scenario;
let t: ScenarioTenant;
const workload = (ns: string, name: string, image = "registry.example/shop/api:1.2") => ({
  kind: "Deployment",
  namespace: ns,
  name,
  container: "app",
  image,
});

beforeAll(async () => {
  s = await Scenario.create();
  t = await s.tenant("views", ["eu", "us"]);
  const cve = (ns: string, name: string, image?: string) =>
    draft({
      ruleId: "CVE-2024-0001",
      severity: "critical",
      title: "openssl overflow",
      resource: workload(ns, name, image),
    });
  const base = Date.now() - 3_600_000;
  // one CVE in five workloads over two clusters and two images; checks elsewhere
  await s.apply(
    t,
    "eu",
    [
      cve("pay", "api"),
      cve("pay", "worker"),
      cve("web", "front"),
      draft({
        ruleId: "KSV-0001",
        severity: "medium",
        taxonomy: taxonomyFor("LP-CTR"),
        resource: workload("pay", "api"),
      }),
      draft({
        ruleId: "KSV-0002",
        severity: "low",
        taxonomy: taxonomyFor("LP-CTR"),
        resource: workload("web", "front"),
      }),
    ],
    { at: new Date(base) },
  );
  await s.apply(
    t,
    "us",
    [
      cve("pay", "api"),
      cve("ops", "tool", "registry.example/ops/tool@sha256:abc"),
      draft({
        ruleId: "CVE-2023-9999",
        severity: "high",
        resource: workload("ops", "tool", "registry.example/ops/tool"),
      }),
      draft({
        ruleId: "KSV-0001",
        severity: "medium",
        taxonomy: taxonomyFor("LP-CTR"),
        resource: workload("ops", "tool"),
      }),
    ],
    { at: new Date(base + 60_000) },
  );
});
afterAll(async () => {
  await s?.close();
});

async function walk(query: string, limit: number): Promise<F[]> {
  const out: F[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: Page } = await s.get<Page>(
      t,
      `/v1/findings?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
    );
    expect(res.status).toBe(200);
    out.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

const RANKS: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
const RANK = (sev: string) => RANKS[sev] ?? 9;

describe("GET /v1/findings?sort=", () => {
  it.each([
    [
      "severity",
      (x: F, y: F) =>
        RANK(x.severity) - RANK(y.severity) ||
        y.lastSeenAt.localeCompare(x.lastSeenAt) ||
        (y.id < x.id ? -1 : 1),
    ],
    [
      "-severity",
      (x: F, y: F) =>
        RANK(y.severity) - RANK(x.severity) ||
        x.lastSeenAt.localeCompare(y.lastSeenAt) ||
        (x.id < y.id ? -1 : 1),
    ],
    ["lastSeenAt", (x: F, y: F) => x.lastSeenAt.localeCompare(y.lastSeenAt) || (x.id < y.id ? -1 : 1)],
    ["-lastSeenAt", (x: F, y: F) => y.lastSeenAt.localeCompare(x.lastSeenAt) || (y.id < x.id ? -1 : 1)],
    ["firstSeenAt", (x: F, y: F) => x.firstSeenAt.localeCompare(y.firstSeenAt) || (x.id < y.id ? -1 : 1)],
    ["-firstSeenAt", (x: F, y: F) => y.firstSeenAt.localeCompare(x.firstSeenAt) || (y.id < x.id ? -1 : 1)],
    ["ruleId", (x: F, y: F) => (x.ruleId < y.ruleId ? -1 : x.ruleId > y.ruleId ? 1 : x.id < y.id ? -1 : 1)],
    ["-ruleId", (x: F, y: F) => (x.ruleId > y.ruleId ? -1 : x.ruleId < y.ruleId ? 1 : x.id > y.id ? -1 : 1)],
  ])("sort=%s pages by keyset in that order, every finding once", async (sort, cmp) => {
    const pages = await walk(`sort=${sort}`, 2);
    expect(pages).toHaveLength(9);
    expect(new Set(pages.map((f) => f.id)).size).toBe(9);
    expect(pages.map((f) => f.id)).toEqual([...pages].sort(cmp).map((f) => f.id));
  });

  it("refuses an unknown sort key, and a cursor from another sort", async () => {
    const bad = await s.get<{ errors: { location: string }[] }>(t, "/v1/findings?sort=title");
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]?.location).toBe("query.sort");
    const page = await s.get<Page>(t, "/v1/findings?sort=ruleId&limit=1");
    const mixed = await s.get<{ errors: { location: string }[] }>(
      t,
      `/v1/findings?sort=severity&cursor=${page.body.nextCursor}`,
    );
    expect(mixed.status).toBe(400);
    expect(mixed.body.errors[0]?.location).toBe("query.cursor");
  });

  it("refuses unknown parameters instead of ignoring them", async () => {
    const res = await s.get<{ errors: { location: string }[] }>(t, "/v1/findings?severty=high");
    expect(res.status).toBe(400);
    expect(res.body.errors[0]?.location).toBe("query.severty");
  });
});

describe("GET /v1/findings/summary", () => {
  it("counts per one key, largest first", async () => {
    const res = await s.get<{ groups: { key: Record<string, string>; count: number }[]; total: number }>(
      t,
      "/v1/findings/summary?groupBy=severity",
    );
    expect(res.status).toBe(200);
    expect(res.body.groups).toEqual([
      { key: { severity: "critical" }, count: 5 },
      { key: { severity: "medium" }, count: 2 },
      { key: { severity: "high" }, count: 1 },
      { key: { severity: "low" }, count: 1 },
    ]);
    expect(res.body.total).toBe(9);
  });

  it("counts per two keys, with the cluster named, under the list's filters", async () => {
    const res = await s.get<{
      groups: { key: Record<string, string>; count: number; labels?: { cluster: string } }[];
    }>(t, "/v1/findings/summary?groupBy=cluster,strategy&severity=critical,medium");
    const rows = res.body.groups.map((g) => `${g.labels?.cluster}/${g.key.strategy}=${g.count}`).sort();
    expect(rows).toEqual(["eu/INT-VULN=3", "eu/LP-CTR=1", "us/INT-VULN=2", "us/LP-CTR=1"]);
    expect(res.body.groups.every((g) => g.key.cluster?.startsWith("cls_"))).toBe(true);
  });

  it.each(["groupBy=color", "groupBy=severity,severity", "groupBy=a,b,c", "", "groupBy=image&status=gone"])(
    "answers 400 for %s",
    async (q) => {
      expect((await s.get(t, `/v1/findings/summary?${q}`)).status).toBe(400);
    },
  );
});

describe("GET /v1/findings/groups", () => {
  it("by rule: one row per vulnerability with the workloads, namespaces and clusters it touches", async () => {
    const res = await s.get<{ items: Record<string, unknown>[] }>(t, "/v1/findings/groups?by=rule");
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({
      ruleId: "CVE-2024-0001",
      severity: "critical",
      title: "openssl overflow",
      findings: 5,
      workloads: 5,
      namespaces: 4,
      clusters: 2,
    });
    expect(res.body.items.map((g) => g.ruleId)).toEqual([
      "CVE-2024-0001",
      "CVE-2023-9999",
      "KSV-0001",
      "KSV-0002",
    ]);
  });

  it("by image: per vulnerability and image, paged by keyset", async () => {
    const first = await s.get<{ items: Record<string, unknown>[]; nextCursor: string }>(
      t,
      "/v1/findings/groups?by=image&limit=1",
    );
    expect(first.body.items[0]).toMatchObject({
      ruleId: "CVE-2024-0001",
      image: "registry.example/shop/api",
      workloads: 4,
      clusters: 2,
    });
    const rest = await s.get<{ items: Record<string, unknown>[]; nextCursor: string | null }>(
      t,
      `/v1/findings/groups?by=image&limit=10&cursor=${first.body.nextCursor}`,
    );
    expect(rest.body.items.map((g) => `${g.ruleId}@${g.image}`)).toEqual([
      "CVE-2024-0001@registry.example/ops/tool",
      "CVE-2023-9999@registry.example/ops/tool",
      "KSV-0001@registry.example/shop/api",
      "KSV-0002@registry.example/shop/api",
    ]);
    expect(rest.body.nextCursor).toBeNull();
  });

  it("takes the list filters", async () => {
    const res = await s.get<{ items: Record<string, unknown>[] }>(
      t,
      "/v1/findings/groups?cluster=us&namespace=pay",
    );
    expect(res.body.items).toEqual([
      expect.objectContaining({ ruleId: "CVE-2024-0001", workloads: 1, clusters: 1 }),
    ]);
  });
});
