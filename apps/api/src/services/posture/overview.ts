import {
  type ChangeType,
  countChangesOn,
  type HistoryPoint,
  postureHistoryOn,
  postureOn,
  silentClusters,
} from "@bulwark/insights";
import { withTenant } from "@bulwark/runtime";
import type { Posture, SeverityCounts, Summary } from "@bulwark/schema";
import { addDays, todayUtc } from "../../lib/dates.js";
import type { TenantCtx } from "../context.js";

export interface PostureOverview {
  posture: Posture;
  /** daily points, oldest first, over `days` days ending today */
  history: HistoryPoint[];
  /** status changes in the last 24 hours and the last 7 days, per type and severity */
  changes: { day: Record<ChangeType, SeverityCounts>; week: Record<ChangeType, SeverityCounts> };
  silent: Summary["silentClusters"];
}

/**
 * The console's posture page in one tenant transaction, from the same shared queries as GET /v1/posture,
 * /v1/posture/history, the changes feed and the summaries' silent clusters (packages/insights).
 */
export async function getPostureOverview({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: { days: number; silentHours: number; now?: Date };
}): Promise<PostureOverview> {
  const now = input.now ?? new Date();
  const to = todayUtc();
  return withTenant(ctx.pool, ctx.tenantId, async (_db, client) => {
    const posture = await postureOn(client, ctx.tenantId, null);
    const history = await postureHistoryOn(client, ctx.tenantId, {
      clusterIds: null,
      from: addDays(to, -(input.days - 1)),
      to,
      interval: "day",
    });
    const until = now.toISOString();
    const since = (ms: number) => new Date(now.getTime() - ms).toISOString();
    const day = await countChangesOn(client, ctx.tenantId, { since: since(86_400_000), until });
    const week = await countChangesOn(client, ctx.tenantId, { since: since(7 * 86_400_000), until });
    const silent = await silentClusters(client, ctx.tenantId, null, input.silentHours, now);
    return { posture, history, changes: { day, week }, silent };
  });
}
