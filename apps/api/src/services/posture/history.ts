import { type HistoryPoint, postureHistoryOn } from "@bulwark/insights";
import { withTenant } from "@bulwark/runtime";
import { ApiError } from "../../errors.js";
import { findCluster } from "../clusters/find.js";
import type { TenantCtx } from "../context.js";

export type { HistoryPoint };

export interface HistoryInput {
  cluster?: string;
  /** UTC dates, YYYY-MM-DD, from ≤ to */
  from: string;
  to: string;
  interval: "day" | "week";
}

/** GET /v1/posture/history: the shared history query (packages/insights) for the tenant or one cluster. */
export async function getPostureHistory({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: HistoryInput;
}): Promise<{ cluster: { id: string; name: string } | null; points: HistoryPoint[] }> {
  return withTenant(ctx.pool, ctx.tenantId, async (db, client) => {
    let cluster: { id: string; name: string } | null = null;
    if (input.cluster) {
      cluster = await findCluster(db, ctx.tenantId, input.cluster, true);
      if (!cluster) throw new ApiError("not_found", `no cluster '${input.cluster}' in this tenant`);
    }
    const { from, to, interval } = input;
    const points = await postureHistoryOn(client, ctx.tenantId, {
      clusterIds: cluster ? [cluster.id] : null,
      from,
      to,
      interval,
    });
    return { cluster, points };
  });
}
