import { postureOn } from "@bulwark/insights";
import { withTenant } from "@bulwark/runtime";
import type { Posture } from "@bulwark/schema";
import { ApiError } from "../../errors.js";
import { findCluster } from "../clusters/find.js";
import type { TenantCtx } from "../context.js";

export interface PostureResult extends Posture {
  cluster: { id: string; name: string } | null;
}

/**
 * The tenant's posture, or one cluster's (by id or name; unknown → 404), from the maintained counters
 * (the shared query of packages/insights).
 */
export async function getPosture({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { cluster?: string };
}): Promise<PostureResult> {
  return withTenant(ctx.pool, ctx.tenantId, async (db, client) => {
    let cluster: { id: string; name: string } | null = null;
    if (input.cluster) {
      cluster = await findCluster(db, ctx.tenantId, input.cluster, true);
      if (!cluster) throw new ApiError("not_found", `no cluster '${input.cluster}' in this tenant`);
    }
    const posture = await postureOn(client, ctx.tenantId, cluster ? [cluster.id] : null);
    return { cluster, ...posture };
  });
}
