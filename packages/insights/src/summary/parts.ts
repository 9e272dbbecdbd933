import type { PoolClient } from "@bulwark/runtime";
import { getStrategy, type Summary } from "@bulwark/schema";
import { sql } from "drizzle-orm";
import { type FindingFilters, filterConditions } from "../findings/filters.js";
import { postureOn } from "../posture/current.js";
import { postureHistoryOn } from "../posture/history.js";
import { queryRows } from "../query.js";

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The posture of the rule's clusters now and at the period's start: the maintained counters for now, the
 * history's point for the UTC day before the period began (history is daily) for then. Strategies listed are
 * those whose score moved, restricted to the rule's strategies or categories when it names some.
 */
export async function postureChange(
  client: PoolClient,
  tenantId: string,
  clusterIds: string[] | null,
  filters: { strategies?: string[]; categories?: string[] },
  periodStart: Date,
): Promise<NonNullable<Summary["posture"]>> {
  const now = await postureOn(client, tenantId, clusterIds);
  const before = dayOf(periodStart.getTime() - DAY_MS);
  const [then] = await postureHistoryOn(client, tenantId, {
    clusterIds,
    from: before,
    to: before,
    interval: "day",
  });
  const previous = new Map(then?.strategies.map((s) => [s.id, s.score]) ?? []);
  const strategies: NonNullable<Summary["posture"]>["strategies"] = [];
  for (const category of now.categories) {
    for (const s of category.strategies) {
      if (filters.strategies?.length && !filters.strategies.includes(s.id)) continue;
      if (filters.categories?.length && !filters.categories.includes(category.id)) continue;
      const prev = previous.get(s.id);
      if (prev === undefined || prev === s.score) continue;
      strategies.push({
        id: s.id,
        name: getStrategy(s.id)?.name ?? s.id,
        score: s.score,
        previousScore: prev,
        change: s.score - prev,
      });
    }
  }
  strategies.sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || a.id.localeCompare(b.id));
  return {
    score: now.score,
    previousScore: then ? then.score : null,
    change: then ? now.score - then.score : null,
    strategies,
  };
}

const SHOWN = 10;

/** Suppressions ending within 7 days that may touch the rule's clusters, and the findings in scope they release. */
export async function expiringSuppressions(
  client: PoolClient,
  tenantId: string,
  filters: FindingFilters,
  now: Date,
): Promise<Summary["expiringSuppressions"]> {
  const until = new Date(now.getTime() + 7 * DAY_MS).toISOString();
  const where = await filterConditions(client, tenantId, { ...filters, status: "suppressed" });
  let findings = 0;
  if (where) {
    where.push(sql`f.suppressed_until <= ${until}::timestamptz`);
    const [row] = await queryRows<{ n: number }>(
      client,
      sql`select count(*)::int as n from findings f where ${sql.join(where, sql` and `)}`,
    );
    findings = row?.n ?? 0;
  }
  const inScope = filters.clusterIds
    ? sql`and (s.cluster_id is null or s.cluster_id in (${sql.join(
        [...filters.clusterIds, ""].map((id) => sql`${id}`),
        sql`, `,
      )}))`
    : sql``;
  const rows = await queryRows<{
    id: string;
    reason: string;
    expires_at: Date;
    rule_id: string | null;
    cluster: string | null;
    namespace: string | null;
    kind: string | null;
    name: string | null;
    fingerprint: string | null;
  }>(
    client,
    sql`select s.id, s.reason, s.expires_at, s.rule_id, c.name as cluster, s.namespace, s.kind, s.name, s.fingerprint
        from suppressions s left join clusters c on c.tenant_id = s.tenant_id and c.id = s.cluster_id
        where s.tenant_id = ${tenantId} and s.expires_at > ${now.toISOString()}::timestamptz
          and s.expires_at <= ${until}::timestamptz ${inScope}
        order by s.expires_at, s.id limit ${SHOWN + 1}`,
  );
  const [total] = await queryRows<{ n: number }>(
    client,
    sql`select count(*)::int as n from suppressions s
        where s.tenant_id = ${tenantId} and s.expires_at > ${now.toISOString()}::timestamptz
          and s.expires_at <= ${until}::timestamptz ${inScope}`,
  );
  const items = rows.slice(0, SHOWN).map((r) => ({
    id: r.id,
    reason: r.reason,
    expiresAt: r.expires_at.toISOString(),
    selector: [
      r.rule_id && `rule ${r.rule_id}`,
      r.cluster && `cluster ${r.cluster}`,
      r.namespace && `namespace ${r.namespace}`,
      r.kind && `kind ${r.kind}`,
      r.name && `name ${r.name}`,
      r.fingerprint && `fingerprint ${r.fingerprint.slice(0, 12)}`,
    ]
      .filter(Boolean)
      .join(", "),
  }));
  return { findings, items, more: Math.max(0, (total?.n ?? 0) - items.length) };
}

/** Clusters (the rule's, or all) with no report received for `hours`: their collector has gone quiet. */
export async function silentClusters(
  client: PoolClient,
  tenantId: string,
  clusterIds: string[] | null,
  hours: number,
  now: Date,
): Promise<Summary["silentClusters"]> {
  const rows = await queryRows<{ id: string; name: string; created_at: Date; last: Date | null }>(
    client,
    sql`select c.id, c.name, c.created_at,
          (select max(r.received_at) from reports r where r.tenant_id = c.tenant_id and r.cluster_id = c.id) as last
        from clusters c where c.tenant_id = ${tenantId} ${
          clusterIds
            ? sql`and c.id in (${sql.join(
                [...clusterIds, ""].map((id) => sql`${id}`),
                sql`, `,
              )})`
            : sql``
        }
        order by c.name`,
  );
  const limit = now.getTime() - hours * 3_600_000;
  return rows
    .filter((r) => (r.last ? r.last.getTime() : r.created_at.getTime()) < limit)
    .map((r) => ({
      id: r.id,
      name: r.name,
      lastReportAt: r.last?.toISOString() ?? null,
      silentHours: r.last ? Math.floor((now.getTime() - r.last.getTime()) / 3_600_000) : null,
    }));
}
