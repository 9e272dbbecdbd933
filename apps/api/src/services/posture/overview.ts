import { type HistoryPoint, postureHistoryOn, postureOn, silentClusters } from "@bulwark/insights";
import { withTenant } from "@bulwark/runtime";
import type { Posture, Summary } from "@bulwark/schema";
import { addDays, todayUtc } from "../../lib/dates.js";
import type { TenantCtx } from "../context.js";

export interface PostureOverview {
  posture: Posture;
  /** daily points, oldest first, over `days` days ending today */
  history: HistoryPoint[];
  /** the history's points of yesterday and of 7 days ago, to compare with now (null: no point that day) */
  earlier: { day: HistoryPoint | null; week: HistoryPoint | null };
  silent: Summary["silentClusters"];
}

/**
 * The console's posture page in one tenant transaction, from the same shared queries as GET /v1/posture,
 * /v1/posture/history and the summaries' silent clusters (packages/insights). What changed since yesterday and
 * last week is the difference between now and those days' history points, as the summaries' posture change
 * does: counting the status-change events of a week instead joined ~50,000 events to a million findings per
 * view (1.6 s measured in bench/console.ts), against the 300 ms this page has.
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
    const at = (daysAgo: number) => history.find((p) => p.at === addDays(to, -daysAgo)) ?? null;
    const silent = await silentClusters(client, ctx.tenantId, null, input.silentHours, now);
    return { posture, history, earlier: { day: at(1), week: at(7) }, silent };
  });
}
