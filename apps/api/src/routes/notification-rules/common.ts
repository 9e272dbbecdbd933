import type { Context } from "hono";
import type { AppEnv } from "../../env.js";

/** The tenant context of a rule verb, with what summaries and channel checks need from the configuration. */
export function ruleCtx(c: Context<AppEnv>, tenantId: string) {
  const { pool, config } = c.get("deps");
  return {
    pool,
    tenantId,
    config,
    summary: {
      publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
      silentAfterHours: config.NOTIFY_SILENT_AFTER_HOURS,
    },
  };
}
