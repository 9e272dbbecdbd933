import type { Api } from "../../env.js";
import { getPostureOverview } from "../../services/posture/overview.js";
import { consoleScope, viewerOf } from "../guard.js";
import { PosturePage } from "../pages/posture.js";
import { page } from "../render.js";

export const TREND_DAYS = 90;

export function registerConsolePosture(app: Api): void {
  app.get("/app", consoleScope("read"), async (c) => {
    const viewer = viewerOf(c);
    const { pool, config } = c.get("deps");
    const overview = await getPostureOverview({
      ctx: { pool, tenantId: viewer.auth.tenantId },
      input: { days: TREND_DAYS, silentHours: config.NOTIFY_SILENT_AFTER_HOURS },
    });
    return page(c, <PosturePage viewer={viewer} overview={overview} notice={c.req.query("notice")} />);
  });
}
