import { withTenant } from "@bulwark/runtime";
import { sql } from "drizzle-orm";
import { ApiError } from "../../errors.js";
import { queryRows } from "../../lib/query.js";
import type { TenantCtx } from "../context.js";

export type FindingsDisposition = "keep" | "delete";

export interface DeletedCluster {
  keysRevoked: number;
  findingsResolved: number;
  reportsCancelled: number;
  purged: boolean;
}

/**
 * Delete a cluster, in one transaction. Always: every signing key of it is revoked, so its collectors' uploads
 * answer 401 from now on. `keep`: the cluster leaves the cluster list and its name is free again; its open
 * findings are resolved (with a history event), reports not yet processed end `failed`, the latest mesh
 * coverage and compliance evidence go; its findings, their history and its reports stay readable by its id.
 * `delete`: the cluster and everything recorded for it go (foreign keys cascade), also after an earlier
 * `keep`. Deleting a kept cluster again with `keep` changes nothing.
 */
export async function deleteCluster({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { clusterId: string; findings: FindingsDisposition };
}): Promise<DeletedCluster> {
  const { tenantId } = ctx;
  const id = input.clusterId;
  return withTenant(ctx.pool, tenantId, async (_db, client) => {
    const found = await queryRows<{ deleted: boolean }>(
      client,
      sql`select deleted_at is not null as deleted from clusters where tenant_id = ${tenantId} and id = ${id} for update`,
    );
    if (!found[0]) throw new ApiError("not_found", `cluster ${id} not found`);
    const revoked = await queryRows<{ id: string }>(
      client,
      sql`update signing_keys set revoked_at = now()
          where tenant_id = ${tenantId} and cluster_id = ${id} and revoked_at is null returning id`,
    );
    const result: DeletedCluster = {
      keysRevoked: revoked.length,
      findingsResolved: 0,
      reportsCancelled: 0,
      purged: false,
    };
    if (input.findings === "delete") {
      await queryRows(client, sql`delete from clusters where tenant_id = ${tenantId} and id = ${id}`);
      return { ...result, purged: true };
    }
    if (found[0].deleted) return result;
    await queryRows(
      client,
      sql`update clusters set deleted_at = now() where tenant_id = ${tenantId} and id = ${id}`,
    );
    const resolved = await queryRows<{ id: string }>(
      client,
      sql`with resolved as (
            update findings set status = 'resolved', resolved_at = now()
            where tenant_id = ${tenantId} and cluster_id = ${id} and status = 'open'
            returning id)
          insert into finding_events (tenant_id, finding_id, report_id, from_status, to_status, at)
          select ${tenantId}, id, null, 'open', 'resolved', now() from resolved
          returning finding_id as id`,
    );
    const cancelled = await queryRows<{ id: string }>(
      client,
      sql`update reports set status = 'failed', processed_at = now(),
            error = 'the cluster was deleted before this report was processed'
          where tenant_id = ${tenantId} and cluster_id = ${id} and status = 'queued' returning id`,
    );
    await queryRows(
      client,
      sql`delete from mesh_coverage where tenant_id = ${tenantId} and cluster_id = ${id}`,
    );
    await queryRows(
      client,
      sql`delete from compliance_reports where tenant_id = ${tenantId} and cluster_id = ${id}`,
    );
    return { ...result, findingsResolved: resolved.length, reportsCancelled: cancelled.length };
  });
}
