import { withTenant } from "@bulwark/runtime";
import { tables } from "@bulwark/schema";
import { and, desc, eq, gte, lt, lte } from "drizzle-orm";
import type { TenantCtx } from "../context.js";

const { auditLog } = tables;

export interface AuditFilter {
  actor?: string;
  action?: string;
  target?: string;
  since?: Date;
  until?: Date;
  /** keyset: entries older (lower id) than this */
  before?: number;
  limit: number;
}

/** The tenant's audit entries, newest first, keyset on id (append order). */
export async function listAudit({ ctx, input }: { ctx: TenantCtx; input: AuditFilter }) {
  return withTenant(ctx.pool, ctx.tenantId, (db) =>
    db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.tenantId, ctx.tenantId),
          input.actor ? eq(auditLog.actorId, input.actor) : undefined,
          input.action ? eq(auditLog.action, input.action) : undefined,
          input.target ? eq(auditLog.target, input.target) : undefined,
          input.since ? gte(auditLog.at, input.since) : undefined,
          input.until ? lte(auditLog.at, input.until) : undefined,
          input.before !== undefined ? lt(auditLog.id, input.before) : undefined,
        ),
      )
      .orderBy(desc(auditLog.id))
      .limit(input.limit),
  );
}
