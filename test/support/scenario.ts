import { withTenant } from "@bulwark/runtime";
import type { FindingDraft, Source } from "@bulwark/schema";
import { call, createCluster, createTenant } from "../../apps/api/test/support/client.js";
import { createHarness, type Harness } from "../../apps/api/test/support/harness.js";
import { applySnapshot } from "../../apps/worker/src/snapshot/apply.js";
import { dedupeByFingerprint } from "../../apps/worker/src/snapshot/rows.js";

export interface ScenarioTenant {
  tenantId: string;
  token: string;
  clusters: Record<string, string>;
}

/**
 * A real API (createApp on a database of its own) with tenants made through the admin API, and snapshots
 * applied by the worker's own applySnapshot (the statements the worker runs, minus parsing): tests of what
 * the API reads back after snapshots and suppressions, without fixtures written past the application.
 */
export class Scenario {
  private seq = 0;
  private constructor(readonly h: Harness) {}

  static async create(): Promise<Scenario> {
    return new Scenario(await createHarness());
  }

  async tenant(name: string, clusterNames: string[] = [`${name}-prod`]): Promise<ScenarioTenant> {
    const { tenantId, token } = await createTenant(this.h.app, this.h.ctx.config.ADMIN_TOKEN, name);
    const clusters: Record<string, string> = {};
    for (const c of clusterNames) clusters[c] = (await createCluster(this.h.app, token, c)).clusterId;
    return { tenantId, token, clusters };
  }

  /** Apply one snapshot of (cluster, source) as the worker would; returns its report id. */
  async apply(
    t: ScenarioTenant,
    cluster: string,
    drafts: FindingDraft[],
    opts: { source?: Source; at?: Date; namespaces?: string[] } = {},
  ): Promise<string> {
    const clusterId = t.clusters[cluster];
    if (!clusterId) throw new Error(`no cluster ${cluster}`);
    const source = opts.source ?? "trivy";
    const reportId = `rpt_scn${++this.seq}${Math.random().toString(36).slice(2, 8)}`;
    const collectedAt = opts.at ?? new Date(Date.now() - 60_000 + this.seq);
    await this.h.ctx.ownerPool.query(
      `INSERT INTO reports (id, tenant_id, cluster_id, source, status, collected_at, scope_key, body_sha256, payload_bytes)
       VALUES ($1, $2, $3, $4, 'done', $5, '*', $1, 0)`,
      [reportId, t.tenantId, clusterId, source, collectedAt],
    );
    await withTenant(this.h.ctx.pool, t.tenantId, (_db, client) =>
      applySnapshot(
        client,
        {
          tenantId: t.tenantId,
          clusterId,
          source,
          reportId,
          collectedAt,
          scopeKey: opts.namespaces ? `ns:${[...opts.namespaces].sort().join(",")}` : "*",
          namespaces: opts.namespaces ?? null,
        },
        dedupeByFingerprint(source, drafts),
      ),
    );
    return reportId;
  }

  get<T = Record<string, unknown>>(t: ScenarioTenant, path: string) {
    return call<T>(this.h.app, "GET", path, { token: t.token });
  }

  send<T = Record<string, unknown>>(t: ScenarioTenant, method: string, path: string, body?: unknown) {
    return call<T>(this.h.app, method, path, { token: t.token, body });
  }

  close(): Promise<void> {
    return this.h.close();
  }
}
