import { createLogger, createReportQueue, type ReportQueue } from "@bulwark/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../test/support/context.js";
import { seedTenant } from "../../../test/support/factories.js";
import { sweep } from "../src/maintenance/sweep.js";

let ctx: TestContext;
let queue: ReportQueue;
beforeAll(async () => {
  ctx = await createTestContext();
  queue = createReportQueue(ctx.redis, ctx.config.QUEUE_PREFIX);
});
afterAll(async () => {
  await queue?.close();
  await ctx?.close();
});

describe("maintenance sweep: audit retention and ended sessions", () => {
  it("deletes audit entries past the retention (never younger than 30 days) and ended sessions only", async () => {
    const t = await seedTenant(ctx.ownerPool, "retention");
    const audit = (days: number) =>
      ctx.ownerPool.query(
        "insert into audit_log (tenant_id, at, actor_type, action, outcome) values ($1, now() - make_interval(days => $2), 'operator', $3, 'success')",
        [t.tenantId, days, `age-${days}`],
      );
    await Promise.all([audit(400), audit(40), audit(10)]);
    await ctx.ownerPool.query(
      "insert into users (id, email, display_name) values ('usr_r', 'r@example.com', 'R')",
    );
    const session = (id: string, lastSeen: string, expires: string) =>
      ctx.ownerPool.query(
        `insert into sessions (id, token_hash, user_id, tenant_id, bound, method, last_seen_at, expires_at)
         values ($1, $1, 'usr_r', $2, false, 'password', now() - $3::interval, now() + $4::interval)`,
        [id, t.tenantId, lastSeen, expires],
      );
    await session("ses_live", "1 minute", "1 hour");
    await session("ses_idle", "2 hours", "1 hour");
    await session("ses_expired", "1 minute", "-1 minute");

    const logger = createLogger("silent");
    const r = await sweep({
      pool: ctx.pool,
      queue,
      logger,
      retentionDays: 30,
      auditRetentionDays: 30,
      sessionIdleMinutes: 60,
    });
    expect(r).toMatchObject({ auditPurged: 2, sessionsPurged: 2 });
    const left = await ctx.ownerPool.query("select action from audit_log where tenant_id = $1 order by 1", [
      t.tenantId,
    ]);
    expect(left.rows.map((x) => x.action)).toEqual(["age-10"]);
    const sessions = await ctx.ownerPool.query("select id from sessions");
    expect(sessions.rows.map((x) => x.id)).toEqual(["ses_live"]);
  });
});
