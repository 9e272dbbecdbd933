/**
 * GET /v1/findings/groups counts workloads, namespaces and clusters level by level (hash aggregates) rather than
 * with count(distinct …). Here the two meet: on random findings (several findings per workload, cluster-scoped
 * resources without a namespace, rules across clusters and images), every group of every page equals the
 * straightforward count(distinct) query over the same findings, by rule and by image, with and without filters.
 */
import type { FindingGroup } from "@bulwark/insights";
import { SEVERITIES, type Severity } from "@bulwark/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { draft } from "../support/factories.js";
import { rng } from "../support/rng.js";
import { Scenario, type ScenarioTenant } from "../support/scenario.js";

let s: Scenario;
let t: ScenarioTenant;

beforeAll(async () => {
  s = await Scenario.create();
  t = await s.tenant("grouped", ["eu", "us", "ap"]);
  const other = await s.tenant("neighbour", ["eu"]);
  const r = rng(11);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;
  for (const cluster of ["eu", "us", "ap"]) {
    const drafts = Array.from({ length: 120 }, (_, i) => {
      const clusterScoped = r() < 0.2;
      return draft({
        ruleId: `R-${Math.floor(r() * 9)}`,
        title: pick(["Overflow in libssl", "Use after free", "Overflow in libssl"]),
        severity: pick(SEVERITIES) as Severity,
        identity: [`pkg-${i}`],
        resource: clusterScoped
          ? {
              kind: "ClusterRole",
              namespace: null,
              name: pick(["admin", "view"]),
              container: null,
              image: null,
            }
          : {
              kind: pick(["Deployment", "StatefulSet"]),
              namespace: pick(["pay", "web", "ops"]),
              name: `w${Math.floor(r() * 6)}`,
              container: "app",
              image: pick([
                "registry.example/a/api:1.0",
                "registry.example/b/tool:2",
                "registry.example/a/api:1.1",
              ]),
            },
      });
    });
    await s.apply(t, cluster, drafts, { at: new Date(Date.now() - 3_600_000 * (1 + Math.floor(r() * 48))) });
  }
  await s.apply(other, "eu", [draft({ ruleId: "R-1" }), draft({ ruleId: "R-2" })]);
}, 120_000);

afterAll(async () => {
  await s?.close();
});

/** a group as the route answers it */
type Group = FindingGroup;

/** the straightforward query: count(distinct …) per group, over the tenant's open findings */
async function reference(by: "rule" | "image", namespace?: string): Promise<Group[]> {
  const image = by === "image" ? `regexp_replace(split_part(resource_image, '@', 1), ':[^:/]*$', '')` : `''`;
  const res = await s.h.ctx.ownerPool.query(
    `select rule_id, ${image} as image, min(severity_rank)::int as rank, min(title) as title, min(source) as source,
       count(*)::int as findings,
       count(distinct (cluster_id, resource_namespace, resource_kind, resource_name))::int as workloads,
       count(distinct (cluster_id, resource_namespace)) filter (where resource_namespace is not null)::int as namespaces,
       count(distinct cluster_id)::int as clusters, min(first_seen_at) as first_seen
     from findings where tenant_id = $1 and status = 'open'
       ${by === "image" ? "and resource_image is not null" : ""} ${namespace ? "and resource_namespace = $2" : ""}
     group by 1, 2 order by rank, workloads desc, rule_id, image`,
    namespace ? [t.tenantId, namespace] : [t.tenantId],
  );
  return res.rows.map((g) => ({
    ruleId: g.rule_id,
    ...(by === "image" ? { image: g.image } : {}),
    severity: SEVERITIES[g.rank] as string,
    title: g.title,
    source: g.source,
    findings: g.findings,
    workloads: g.workloads,
    namespaces: g.namespaces,
    clusters: g.clusters,
    firstSeenAt: (g.first_seen as Date).toISOString(),
  }));
}

async function allPages(query: string): Promise<Group[]> {
  const out: Group[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: { items: Group[]; nextCursor: string | null } } = await s.get(
      t,
      `/v1/findings/groups?${query}&limit=4${cursor ? `&cursor=${cursor}` : ""}`,
    );
    expect(res.status).toBe(200);
    out.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

describe("groups counted level by level", () => {
  it.each([
    ["by=rule", "rule", undefined],
    ["by=image", "image", undefined],
    ["by=rule&namespace=pay", "rule", "pay"],
    ["by=image&namespace=web", "image", "web"],
  ] as const)(
    "%s equals count(distinct) over the findings, page after page",
    async (query, by, namespace) => {
      const expected = await reference(by, namespace);
      expect(expected.length).toBeGreaterThan(by === "image" ? 9 : 8);
      // the random data must exercise what differs: several findings per workload, workloads without namespace
      if (!namespace) expect(expected.some((g) => g.findings > g.workloads)).toBe(true);
      expect(await allPages(query)).toEqual(expected);
    },
  );
});
